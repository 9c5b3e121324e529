package im.parley.sdk;

import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.Presence;
import org.jxmpp.jid.EntityBareJid;

/** Maps {@link Availability} to and from presence stanzas (RFC 6121 §4.7.2.1). */
final class Presences {

    private Presences() {
    }

    static Presence toStanza(XMPPConnection connection, Availability availability, String status) {
        if (availability == Availability.OFFLINE) {
            return connection.getStanzaFactory().buildPresenceStanza()
                    .ofType(Presence.Type.unavailable).setStatus(status).build();
        }
        Presence.Mode mode = switch (availability) {
            case FREE_TO_CHAT -> Presence.Mode.chat;
            case AWAY -> Presence.Mode.away;
            case EXTENDED_AWAY -> Presence.Mode.xa;
            case DO_NOT_DISTURB -> Presence.Mode.dnd;
            default -> Presence.Mode.available;
        };
        return connection.getStanzaFactory().buildPresenceStanza()
                .ofType(Presence.Type.available).setMode(mode).setStatus(status).build();
    }

    static PresenceUpdate fromStanza(EntityBareJid contact, Presence presence) {
        if (presence == null || presence.getType() != Presence.Type.available) {
            return new PresenceUpdate(contact, Availability.OFFLINE, presence == null ? null : presence.getStatus());
        }
        Availability availability = switch (presence.getMode()) {
            case chat -> Availability.FREE_TO_CHAT;
            case away -> Availability.AWAY;
            case xa -> Availability.EXTENDED_AWAY;
            case dnd -> Availability.DO_NOT_DISTURB;
            default -> Availability.AVAILABLE;
        };
        return new PresenceUpdate(contact, availability, presence.getStatus());
    }
}
