package im.parley.server.storage;

import java.util.List;
import java.util.function.UnaryOperator;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Rosters and subscription states of local accounts (RFC 6121 §2, §3, Appendix A), with the
 * roster version of §2.6. Blocking: call it off the event loop. Failures of the backend surface
 * as {@link StorageException}.
 */
public interface RosterStore {

    /** The owner's roster and its current version (0 for an account that never had a roster). */
    Roster roster(EntityBareJid owner);

    /** What the owner's account knows about the contact. */
    ContactState contact(EntityBareJid owner, BareJid contact);

    /**
     * Atomically replaces what the owner's account knows about the contact with
     * {@code change.apply(current)}; concurrent updates of one roster are serialised. The roster
     * version is raised when the roster item changes. The account must exist.
     */
    RosterUpdate update(EntityBareJid owner, BareJid contact, UnaryOperator<ContactState> change);

    /** The owner's unanswered inbound subscription requests, one per contact. */
    List<PendingSubscription> pendingSubscriptions(EntityBareJid owner);
}
