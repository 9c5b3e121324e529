package im.parley.sdk;

import org.jxmpp.jid.EntityBareJid;

/**
 * An entry of the contact list (roster item, RFC 6121 §2.1.2).
 *
 * @param jid the contact's account
 * @param name the name the user gave it, or {@code null}
 * @param subscription who sees whose presence
 * @param awaitingApproval the user asked to see the contact's presence and the contact has not
 *     answered yet ({@code ask="subscribe"}, RFC 6121 §2.1.2.2)
 */
public record Contact(EntityBareJid jid, String name, Subscription subscription, boolean awaitingApproval) {

    /** The presence subscription state of a contact (RFC 6121 §2.1.2.5). */
    public enum Subscription {
        /** Neither sees the other's presence. */
        NONE,
        /** The user sees the contact's presence. */
        TO,
        /** The contact sees the user's presence. */
        FROM,
        /** Both see each other's presence. */
        BOTH
    }
}
