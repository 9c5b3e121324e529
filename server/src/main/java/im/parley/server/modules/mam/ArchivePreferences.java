package im.parley.server.modules.mam;

import im.parley.server.module.PoolWork;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.RosterStore;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Which messages an account's archive keeps (XEP-0441 §3): the JIDs it always and never archives,
 * and the default for the rest. The stored preferences of the host's accounts are read once, at
 * start, and kept in memory with every change; an account that never set any gets the server's
 * {@code mam.default}. For accounts that archive only their roster ({@code roster}), the
 * roster's JIDs are kept in memory too, until the roster changes ({@link #rosterChanged}). So
 * the decision for a message takes no storage lookup (each lookup is a transaction, and on the
 * embedded database every transaction's end writes what other transactions changed).
 */
final class ArchivePreferences {

    private final JdbcArchivePrefsStore store;
    private final RosterStore rosters;
    private final ArchiveMode serverDefault;
    private final Executor blocking;
    private final Map<EntityBareJid, ArchivePrefs> stored;
    /**
     * The JIDs on the roster of each account in roster mode, as a future so that a change
     * while the roster is being read drops the future: lookups after the change read it again.
     */
    private final Map<EntityBareJid, CompletableFuture<Set<BareJid>>> rosterJids = new ConcurrentHashMap<>();

    /**
     * @param stored the preferences stored for the host's accounts ({@link JdbcArchivePrefsStore#allPrefs})
     */
    ArchivePreferences(JdbcArchivePrefsStore store, Map<EntityBareJid, ArchivePrefs> stored, RosterStore rosters,
                       ArchiveMode serverDefault, Executor blocking) {
        this.store = store;
        this.stored = new ConcurrentHashMap<>(stored);
        this.rosters = rosters;
        this.serverDefault = serverDefault;
        this.blocking = blocking;
    }

    /** The preferences of {@code owner}. Never blocks. */
    ArchivePrefs of(EntityBareJid owner) {
        ArchivePrefs prefs = stored.get(owner);
        return prefs != null ? prefs : ArchivePrefs.of(serverDefault);
    }

    /**
     * Drops what is kept for {@code owner}: called when it turned out not to exist (its
     * preferences went with its account), so that messages to made-up accounts cannot fill memory.
     */
    void forget(EntityBareJid owner) {
        stored.remove(owner);
        rosterJids.remove(owner);
    }

    /** Stores new preferences; false if the account does not exist. Blocking. */
    boolean set(EntityBareJid owner, ArchivePrefs prefs) {
        if (!store.setPrefs(owner, prefs)) {
            return false;
        }
        stored.put(owner, prefs);
        return true;
    }

    /** {@code owner}'s roster changed (RFC 6121 §2.1.6): what roster mode decides is read again. */
    void rosterChanged(EntityBareJid owner) {
        rosterJids.remove(owner);
    }

    /**
     * Completes with true if {@code owner}'s archive keeps messages exchanged with {@code with}.
     * Answers at once from memory; in roster mode, the first lookup of the roster runs on the
     * blocking executor.
     */
    CompletableFuture<Boolean> archives(EntityBareJid owner, Jid with) {
        ArchivePrefs prefs = of(owner);
        BareJid contact = with.asBareJid();
        if (prefs.always().contains(contact)) {
            return CompletableFuture.completedFuture(true);
        }
        if (prefs.never().contains(contact)) {
            return CompletableFuture.completedFuture(false);
        }
        return switch (prefs.defaultMode()) {
            case ALWAYS -> CompletableFuture.completedFuture(true);
            case NEVER -> CompletableFuture.completedFuture(false);
            case ROSTER -> contact.equals(owner) ? CompletableFuture.completedFuture(true)
                    : rosterOf(owner).thenApply(jids -> jids.contains(contact));
        };
    }

    private CompletableFuture<Set<BareJid>> rosterOf(EntityBareJid owner) {
        CompletableFuture<Set<BareJid>> jids = rosterJids.computeIfAbsent(owner, account -> PoolWork
                .supply(() -> rosters.roster(account).items().stream().map(RosterItem::contact)
                        .collect(Collectors.toUnmodifiableSet()), blocking));
        // A failed read is not kept: the next message tries again.
        jids.whenComplete((value, failure) -> {
            if (failure != null) {
                rosterJids.remove(owner, jids);
            }
        });
        return jids;
    }
}
