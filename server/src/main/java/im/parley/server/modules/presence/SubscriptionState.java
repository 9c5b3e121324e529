package im.parley.server.modules.presence;

import im.parley.server.storage.ContactState;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.Subscription;
import java.util.Optional;
import org.jxmpp.jid.BareJid;

/**
 * The subscription state of a user towards one contact, as RFC 6121 Appendix A defines it:
 * "None", "To", "From", "Both", each with the "Pending Out" and "Pending In" halves, plus the
 * pre-approval of §3.4. The two transition functions are the tables of Appendix A.2 (the user
 * sends a subscription stanza) and Appendix A.3 (the user's server receives one).
 */
public record SubscriptionState(Subscription subscription, boolean pendingOut, boolean pendingIn, boolean approved) {

    public static final SubscriptionState NONE = new SubscriptionState(Subscription.NONE, false, false, false);

    /** The state an account's stored knowledge of a contact stands for. */
    public static SubscriptionState of(ContactState contact) {
        Optional<RosterItem> item = contact.item();
        return new SubscriptionState(item.map(RosterItem::subscription).orElse(Subscription.NONE),
                item.map(RosterItem::pendingOut).orElse(false), contact.pendingRequest().isPresent(),
                item.map(RosterItem::approved).orElse(false));
    }

    /** Appendix A.2: the user's server processes a subscription stanza the user sends. */
    public SubscriptionState afterOutbound(SubscriptionType type) {
        return switch (type) {
            // A.2.1: a request while not yet subscribed becomes pending.
            case SUBSCRIBE -> subscription.hasTo() ? this : with(subscription, true, pendingIn, approved);
            // A.2.2: the user cancels its subscription, or its pending request.
            case UNSUBSCRIBE -> with(subscription.withTo(false), false, pendingIn, approved);
            // A.2.3: approving a pending request; without one it is a pre-approval (§3.4).
            case SUBSCRIBED -> pendingIn ? with(subscription.withFrom(true), pendingOut, false, false)
                    : subscription.hasFrom() ? this : with(subscription, pendingOut, false, true);
            // A.2.4: denying a request or revoking the contact's subscription; it also
            // withdraws a pre-approval (§3.4).
            case UNSUBSCRIBED -> with(subscription.withFrom(false), pendingOut, false, false);
        };
    }

    /** Appendix A.3: the user's server processes a subscription stanza the contact sent. */
    public SubscriptionState afterInbound(SubscriptionType type) {
        return switch (type) {
            // A.3.1: an already subscribed contact changes nothing (the server answers for the
            // user, §3.1.3); a pre-approved one is subscribed at once (§3.4); others are pending.
            case SUBSCRIBE -> subscription.hasFrom() ? this
                    : approved ? with(subscription.withFrom(true), pendingOut, false, false)
                    : with(subscription, pendingOut, true, approved);
            // A.3.2: the contact cancels its subscription or its pending request.
            case UNSUBSCRIBE -> with(subscription.withFrom(false), pendingOut, false, approved);
            // A.3.3: only a pending request can be approved; otherwise it is ignored.
            case SUBSCRIBED -> pendingOut ? with(subscription.withTo(true), false, pendingIn, approved) : this;
            // A.3.4: the contact denies the request or revokes the user's subscription.
            case UNSUBSCRIBED -> with(subscription.withTo(false), false, pendingIn, approved);
        };
    }

    /**
     * The stored form of this state: the roster item's state fields change (the item is created
     * when the state needs one, §3.1.2, §3.1.5, §3.4), and the pending request is kept, replaced
     * by {@code newRequest} or dropped.
     *
     * @param newRequest the XML of an inbound request that makes or keeps the state pending in, or null
     */
    public ContactState applyTo(ContactState before, BareJid contact, String newRequest) {
        Optional<RosterItem> item = before.item();
        if (item.isPresent() || needsItem()) {
            item = Optional.of(item.orElseGet(() -> RosterItem.of(contact))
                    .withState(subscription, pendingOut, approved));
        }
        Optional<String> request = !pendingIn ? Optional.empty()
                : newRequest != null ? Optional.of(newRequest) : before.pendingRequest();
        return new ContactState(item, request);
    }

    private boolean needsItem() {
        return subscription != Subscription.NONE || pendingOut || approved;
    }

    private static SubscriptionState with(Subscription subscription, boolean pendingOut, boolean pendingIn,
                                          boolean approved) {
        return new SubscriptionState(subscription, pendingOut, pendingIn, approved);
    }
}
