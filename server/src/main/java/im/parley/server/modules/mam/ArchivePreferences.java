package im.parley.server.modules.mam;

import im.parley.server.storage.RosterStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Which messages an account's archive keeps (XEP-0441 §3): the JIDs it always and never archives,
 * and the default for the rest. Preferences are read once per account and kept in memory; an
 * account that never set any gets the server's {@code mam.default}. Blocking: storage lookups.
 */
final class ArchivePreferences {

    private final JdbcArchiveStore store;
    private final RosterStore rosters;
    private final ArchiveMode serverDefault;
    private final Map<EntityBareJid, ArchivePrefs> cache = new ConcurrentHashMap<>();

    ArchivePreferences(JdbcArchiveStore store, RosterStore rosters, ArchiveMode serverDefault) {
        this.store = store;
        this.rosters = rosters;
        this.serverDefault = serverDefault;
    }

    ArchivePrefs of(EntityBareJid owner) {
        return cache.computeIfAbsent(owner, account -> store.prefs(account).orElse(ArchivePrefs.of(serverDefault)));
    }

    /**
     * Drops what is cached for {@code owner}: called when it turned out not to exist, so that
     * messages to made-up accounts cannot fill the cache.
     */
    void forget(EntityBareJid owner) {
        cache.remove(owner);
    }

    /** Stores new preferences; false if the account does not exist. */
    boolean set(EntityBareJid owner, ArchivePrefs prefs) {
        if (!store.setPrefs(owner, prefs)) {
            return false;
        }
        cache.put(owner, prefs);
        return true;
    }

    /** True if {@code owner}'s archive keeps messages exchanged with {@code with}. */
    boolean archives(EntityBareJid owner, Jid with) {
        ArchivePrefs prefs = of(owner);
        BareJid contact = with.asBareJid();
        if (prefs.always().contains(contact)) {
            return true;
        }
        if (prefs.never().contains(contact)) {
            return false;
        }
        return switch (prefs.defaultMode()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case ROSTER -> contact.equals(owner) || rosters.contact(owner, contact).item().isPresent();
        };
    }
}
