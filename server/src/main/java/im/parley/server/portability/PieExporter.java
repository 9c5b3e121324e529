package im.parley.server.portability;

import im.parley.core.files.OwnerOnlyFiles;
import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import im.parley.server.storage.OfflineMessage;
import im.parley.server.storage.PendingSubscription;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.Storage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.dom4j.io.OutputFormat;
import org.dom4j.io.XMLWriter;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@code parley export}: writes the accounts of the given domains as one XEP-0227 file (version
 * 1.1), or as one file per account, user by user, so that only one user's data is in memory at a time. Passwords go out as
 * SCRAM credentials (§4.2: plain passwords are discouraged, and Parley has none): the SCRAM-SHA-1
 * ones are those Prosody and ejabberd can use. Works on the database directly; blocking.
 */
public final class PieExporter {
    private static final Namespace PIE = Namespace.get(PieNames.PIE);

    private final Storage storage;

    public PieExporter(Storage storage) {
        this.storage = storage;
    }

    /** Writes one file with every account of {@code domains}; returns how many it holds. */
    public int export(List<DomainBareJid> domains, OutputStream out) throws IOException {
        startDocument(out);
        XMLWriter writer = new XMLWriter(out, OutputFormat.createCompactFormat());
        int count = 0;
        for (DomainBareJid domain : domains) {
            startHost(out, domain);
            Set<EntityBareJid> disabled = new HashSet<>(storage.accounts().listDisabled(domain));
            for (EntityBareJid jid : storage.accounts().list(domain)) {
                writeUser(writer, out, jid, disabled.contains(jid));
                count++;
            }
            write(out, "</host>\n");
        }
        endDocument(out);
        return count;
    }

    /**
     * Writes one file per account into {@code directory}, named {@code user@domain.xml}, each a
     * whole {@code <server-data/>} document: the layout Prosody's xep0227 store reads and writes.
     * Returns how many; refuses to overwrite (every file is new, owner-only).
     */
    public int exportPerUser(List<DomainBareJid> domains, Path directory) throws IOException {
        int count = 0;
        for (DomainBareJid domain : domains) {
            Set<EntityBareJid> disabled = new HashSet<>(storage.accounts().listDisabled(domain));
            for (EntityBareJid jid : storage.accounts().list(domain)) {
                Path file = directory.resolve(jid + ".xml");
                if (!OwnerOnlyFiles.createFile(file)) {
                    throw new FileAlreadyExistsException(file.toString(), null, "exists; not overwritten");
                }
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                    startDocument(out);
                    startHost(out, domain);
                    writeUser(new XMLWriter(out, OutputFormat.createCompactFormat()), out, jid, disabled.contains(jid));
                    write(out, "</host>\n");
                    endDocument(out);
                }
                count++;
            }
        }
        return count;
    }

    // The outer elements are written as text: XMLWriter.writeOpen leaves out their namespace declaration.
    private static void startDocument(OutputStream out) throws IOException {
        write(out, "<?xml version='1.0' encoding='UTF-8'?>\n<server-data xmlns='" + PieNames.PIE + "'>\n");
    }

    private static void startHost(OutputStream out, DomainBareJid domain) throws IOException {
        write(out, "<host jid='" + attributeText(domain.toString()) + "'>\n");
    }

    private static void endDocument(OutputStream out) throws IOException {
        write(out, "</server-data>\n");
        out.flush();
    }

    private void writeUser(XMLWriter writer, OutputStream out, EntityBareJid jid, boolean disabled)
            throws IOException {
        writer.write(user(jid, disabled));
        writer.flush();
        write(out, "\n");
    }

    private Element user(EntityBareJid jid, boolean disabled) throws IOException {
        Element user = DocumentHelper.createElement(QName.get("user", PIE))
                .addAttribute("name", jid.getLocalpart().toString());
        for (ScramHash hash : ScramHash.values()) {
            storage.accounts().find(jid, hash).ifPresent(credential -> addScram(user, credential));
        }
        if (disabled) {
            user.addElement(QName.get("disabled", PieNames.PARLEY));
        }
        List<RosterItem> items = storage.rosters().roster(jid).items();
        if (!items.isEmpty()) {
            Element query = user.addElement(QName.get("query", PieNames.ROSTER));
            items.forEach(item -> addItem(query, item));
        }
        for (PendingSubscription request : storage.rosters().pendingSubscriptions(jid)) {
            user.add(parse(request.stanza()));
        }
        Optional<String> vcard = storage.vcards().load(jid);
        if (vcard.isPresent()) {
            user.add(parse(vcard.get()));
        }
        List<String> fragments = storage.privateXml().list(jid);
        if (!fragments.isEmpty()) {
            Element query = user.addElement(QName.get("query", PieNames.PRIVATE));
            for (String fragment : fragments) {
                query.add(parse(fragment));
            }
        }
        List<OfflineMessage> offline = storage.offline().list(jid);
        if (!offline.isEmpty()) {
            Element messages = user.addElement(QName.get("offline-messages", PIE));
            for (OfflineMessage message : offline) {
                messages.add(stamped(parse(message.stanzaXml()), jid, message));
            }
        }
        return user;
    }

    /** XEP-0227 §4.2 (version 1.1): the credential as SCRAM data, keys and salt in base64. */
    private static void addScram(Element user, ScramCredential credential) {
        Base64.Encoder base64 = Base64.getEncoder();
        Element scram = user.addElement(QName.get("scram-credentials", PieNames.SCRAM))
                .addAttribute("mechanism", credential.hash().mechanismName());
        scram.addElement(QName.get("iter-count", PieNames.SCRAM)).setText(Integer.toString(credential.iterations()));
        scram.addElement(QName.get("salt", PieNames.SCRAM)).setText(base64.encodeToString(credential.salt()));
        scram.addElement(QName.get("server-key", PieNames.SCRAM)).setText(base64.encodeToString(credential.serverKey()));
        scram.addElement(QName.get("stored-key", PieNames.SCRAM)).setText(base64.encodeToString(credential.storedKey()));
    }

    /** XEP-0227 §4.3: RFC 6121 §2.1.2 roster items with their subscription states. */
    private static void addItem(Element query, RosterItem item) {
        Element element = query.addElement(QName.get("item", PieNames.ROSTER))
                .addAttribute("jid", item.contact().toString())
                .addAttribute("subscription", item.subscription().attributeValue());
        if (item.name() != null) {
            element.addAttribute("name", item.name());
        }
        if (item.pendingOut()) {
            element.addAttribute("ask", "subscribe");
        }
        if (item.approved()) {
            element.addAttribute("approved", "true");
        }
        item.groups().stream().sorted().forEach(group ->
                element.addElement(QName.get("group", PieNames.ROSTER)).setText(group));
    }

    /** XEP-0227 §4.4: the message with a XEP-0203 delay saying when Parley stored it. */
    private static Element stamped(Element message, EntityBareJid owner, OfflineMessage stored) {
        message.addElement(QName.get("delay", PieNames.DELAY))
                .addAttribute("from", owner.getDomain().toString())
                .addAttribute("stamp", DateTimeFormatter.ISO_INSTANT.format(stored.storedAt()));
        return message;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String attributeText(String value) {
        return value.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;");
    }

    private static Element parse(String xml) throws IOException {
        try {
            return DocumentHelper.parseText(xml).getRootElement().createCopy();
        } catch (DocumentException e) {
            throw new IOException("stored XML does not parse: " + e.getMessage(), e);
        }
    }
}
