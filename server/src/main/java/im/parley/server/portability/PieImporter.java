package im.parley.server.portability;

import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import im.parley.server.account.AccountService;
import im.parley.server.storage.ContactState;
import im.parley.server.storage.Storage;
import im.parley.server.storage.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;

/**
 * {@code parley import}: reads a XEP-0227 export (file or directory, {@link PieReader}) and
 * stores each user in Parley's stores. An account that exists already is refused and left as it
 * is, so the import can be re-run after a failure and never overwrites; a record that does not
 * parse is refused whole and the others are imported. Works on the database directly (the
 * server is stopped); blocking.
 */
public final class PieImporter {
    private final Storage storage;
    private final Set<String> domains;
    private final PieUserParser parser;

    public PieImporter(Storage storage, Set<String> domains, Clock clock) {
        this.storage = storage;
        this.domains = domains;
        this.parser = new PieUserParser(clock);
    }

    /** Imports everything at {@code path}; malformed XML stops the import there (IOException). */
    public void run(Path path, ImportReport report) throws IOException {
        PieReader reader = new PieReader();
        try {
            reader.read(path, (host, user, file) -> importUser(host, user, report));
        } finally {
            reader.notes().forEach(report::fileNote);
            report.summary();
        }
    }

    private void importUser(String host, Element element, ImportReport report) {
        String who = element.attributeValue("name") + "@" + host;
        if (!domains.contains(host)) {
            // XEP-0227 §4.1: an importing server that does not adjust its hosts SHOULD notify the operator.
            report.refused(who, "domain " + host + " is not configured here (domains: " + String.join(", ", domains)
                    + ")");
            return;
        }
        PieUser user;
        try {
            user = parser.parse(host, element);
        } catch (PieUserParser.BadRecordException e) {
            report.refused(who, e.getMessage());
            return;
        }
        try {
            store(user, report);
        } catch (StorageException e) {
            report.refused(user.jid().toString(), "the database failed: " + e.getMessage());
        }
    }

    private void store(PieUser user, ImportReport report) {
        String jid = user.jid().toString();
        List<String> notes = new ArrayList<>(user.credentialNotes());
        List<ScramCredential> credentials = credentials(user, notes);
        // Brought over from another server, not a new user: no welcome message (XEP-0133 §4.27).
        if (!storage.accounts().create(user.jid(), credentials, false)) {
            report.refused(jid, "the account exists already; left unchanged (delete it first to import it again)");
            return;
        }
        String disabledBecause = credentials.isEmpty() ? "no password Parley can use"
                : user.disabled() ? "disabled in the export" : null;
        if (disabledBecause != null) {
            storage.accounts().setDisabled(user.jid(), true);
        }
        try {
            storeData(user);
        } catch (StorageException e) {
            report.refused(jid, "the database failed: " + e.getMessage() + "; the account was created with part of "
                    + "its data: delete it (parley deluser " + jid + ") and import again");
            return;
        }
        String what = summary(user, credentials);
        if (disabledBecause != null) {
            report.importedDisabled(jid, what, disabledBecause);
        } else {
            report.imported(jid, what);
        }
        if (!credentials.isEmpty() && credentials.stream().noneMatch(c -> c.hash() != ScramHash.SHA_1)) {
            notes.add("only SCRAM-SHA-1 credentials came with it: it logs in with SCRAM-SHA-1 or PLAIN; a client "
                    + "that picks SCRAM-SHA-256 fails until the password is set again (parley passwd)");
        }
        if (credentials.isEmpty()) {
            notes.add("set a password (parley passwd " + jid + ") and enable it (parley enable " + jid + ")");
        }
        if (!user.ignored().isEmpty()) {
            notes.add("not imported: " + String.join(", ", user.ignored()));
        }
        notes.forEach(note -> report.note(jid, note));
    }

    /**
     * A plain password gives credentials for every hash, as {@code parley adduser} makes; else the
     * SCRAM data of the export is kept as it is (the password itself is unknown).
     */
    private static List<ScramCredential> credentials(PieUser user, List<String> notes) {
        if (user.password().isPresent()) {
            try {
                return AccountService.credentials(user.password().get());
            } catch (IllegalArgumentException e) {
                notes.add("its password cannot be used: " + e.getMessage());
            }
        }
        return user.scram();
    }

    private void storeData(PieUser user) {
        user.roster().forEach(item -> storage.rosters().update(user.jid(), item.contact(),
                state -> new ContactState(Optional.of(item), state.pendingRequest())));
        user.pending().forEach(request -> storage.rosters().update(user.jid(), request.contact(),
                state -> new ContactState(state.item(), Optional.of(request.stanzaXml()))));
        user.vcard().ifPresent(vcard -> storage.vcards().save(user.jid(), vcard));
        user.privateXml().forEach(entry -> storage.privateXml().save(user.jid(), entry.namespace(),
                entry.elementName(), entry.xml()));
        // Every message of the export is kept: the offline quota limits what arrives, not what moves.
        user.offline().forEach(message -> storage.offline().append(user.jid(), message.stanzaXml(),
                message.storedAt(), Integer.MAX_VALUE));

    }

    private static String summary(PieUser user, List<ScramCredential> credentials) {
        String password = user.password().isPresent() && credentials.size() == ScramHash.values().length
                ? "password" : credentials.isEmpty() ? "no password" : credentials.stream()
                        .map(c -> c.hash().mechanismName()).reduce((a, b) -> a + "+" + b).orElseThrow()
                        + " credentials";
        return password + ", " + user.roster().size() + " contacts, " + user.pending().size()
                + " pending requests, " + (user.vcard().isPresent() ? "vCard" : "no vCard") + ", "
                + user.privateXml().size() + " private XML, " + user.offline().size() + " offline messages";
    }
}
