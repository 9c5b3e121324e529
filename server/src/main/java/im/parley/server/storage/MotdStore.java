package im.parley.server.storage;

import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The message of the day of each hosted domain (XEP-0133 §4.24-§4.26) and, per account, which
 * version of it the account was last sent. Blocking: call it off the event loop.
 */
public interface MotdStore {

    /** A domain's message and when it last changed (epoch milliseconds): its version. */
    record Motd(String body, long changedAt) {
    }

    Optional<Motd> find(DomainBareJid domain);

    /** Sets or replaces the domain's message. */
    void set(DomainBareJid domain, String body, long changedAt);

    /** Deletes the domain's message; false if there was none. */
    boolean delete(DomainBareJid domain);

    /**
     * Records that {@code account} was sent the version {@code changedAt}: true if it had not been
     * sent that version yet (so the caller sends it now), false if it had, or if the account is gone.
     */
    boolean markSent(EntityBareJid account, long changedAt);
}
