package im.parley.server.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * When each account last logged out, with the status text of its last unavailable presence
 * (XEP-0012 §3), and when it last logged in (XEP-0133 §4.9). Blocking: call it off the event
 * loop. Failures of the backend surface as {@link StorageException}.
 */
public interface LastActivityStore {

    /** Longest status text kept; longer text is cut. */
    int MAX_STATUS_LENGTH = 1024;

    /** A recorded logout. {@code status} is null when the unavailable presence had none. */
    record LastActivity(Instant logoutAt, String status) {
    }

    /**
     * Records a logout, replacing the previous one; false if the account does not exist (e.g. it
     * was just removed), in which case nothing is stored.
     */
    boolean recordLogout(EntityBareJid account, Instant at, String status);

    /** The last recorded logout of the account, if any. */
    Optional<LastActivity> find(EntityBareJid account);

    /**
     * Records a login (a session bound, RFC 6120 §7), replacing the previous one; false if the
     * account does not exist, in which case nothing is stored.
     */
    boolean recordLogin(EntityBareJid account, Instant at);

    /** The last recorded login of the account, if any. */
    Optional<Instant> lastLogin(EntityBareJid account);

    /**
     * Records the logins of many accounts at once (one transaction where the backend allows);
     * an account that no longer exists is skipped.
     */
    default void recordLogins(Map<EntityBareJid, Instant> logins) {
        logins.forEach(this::recordLogin);
    }
}
