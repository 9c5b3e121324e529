package im.parley.server.storage;

import java.util.Objects;
import java.util.Set;
import org.jxmpp.jid.BareJid;

/**
 * One contact in a user's roster (RFC 6121 §2.1.2): its bare JID, optional name and groups,
 * the subscription, the pending-out flag shown as {@code ask='subscribe'} (§2.1.2.2) and the
 * pre-approval flag shown as {@code approved='true'} (§2.1.2.1, §3.4).
 *
 * @param name the handle the user gave the contact, or null
 */
public record RosterItem(BareJid contact, String name, Set<String> groups, Subscription subscription,
                         boolean pendingOut, boolean approved) {

    public RosterItem {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(subscription, "subscription");
        groups = Set.copyOf(groups);
    }

    /** A new item with no name, no groups and no subscription. */
    public static RosterItem of(BareJid contact) {
        return new RosterItem(contact, null, Set.of(), Subscription.NONE, false, false);
    }

    public RosterItem withNameAndGroups(String newName, Set<String> newGroups) {
        return new RosterItem(contact, newName, newGroups, subscription, pendingOut, approved);
    }

    public RosterItem withState(Subscription newSubscription, boolean newPendingOut, boolean newApproved) {
        return new RosterItem(contact, name, groups, newSubscription, newPendingOut, newApproved);
    }
}
