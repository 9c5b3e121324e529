package im.parley.sdk;

import org.jxmpp.jid.EntityBareJid;

/**
 * A contact's presence: the best of its online resources (RFC 6121 §4.7.2), or
 * {@link Availability#OFFLINE}.
 *
 * @param contact the contact
 * @param availability whether and how the contact is online
 * @param status the free-text status, or {@code null}
 */
public record PresenceUpdate(EntityBareJid contact, Availability availability, String status) {

    /** Whether the contact has at least one online resource. */
    public boolean online() {
        return availability != Availability.OFFLINE;
    }
}
