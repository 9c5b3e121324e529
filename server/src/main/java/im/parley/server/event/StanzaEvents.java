package im.parley.server.event;

import java.util.List;
import org.jxmpp.jid.Jid;

/**
 * The addressed stanza events, in the spirit of Prosody's router: each stanza fires events named
 * by its kind and the shape of its {@code to} address.
 *
 * <ul>
 * <li>{@code pre-<kind>/<shape>}, e.g. {@code pre-message/bare}: a stanza a local client sent,
 * fired on the sender's host before it is routed anywhere (blocking of outbound stanzas,
 * presence broadcast and subscriptions, last activity). Unhandled, it is routed.</li>
 * <li>{@code <kind>/<shape>}, e.g. {@code message/full}: a stanza for a local address, fired on
 * the destination host. The delivery module delivers it at {@link EventPriority#DELIVER};
 * filters, archive and carbons hook before, fall-backs after.</li>
 * <li>{@code iq-<type>/<shape>/<namespace>}, e.g. {@code iq-get/host/urn:xmpp:ping}: an IQ
 * request to a host or a bare JID that no handler of {@code iq/<shape>} took, by the namespace
 * of its one payload child (RFC 6120 §8.2.3); module IQ handlers hook these. Unhandled, the
 * request is answered {@code service-unavailable}.</li>
 * <li>{@link #MESSAGE_OFFLINE}: a message for an account with no resource to take it.</li>
 * </ul>
 *
 * <p>A stanza without {@code to} is for the sender's own account (RFC 6120 §10.3): its shape is
 * {@link Shape#BARE} and its {@code to} stays empty.
 */
public final class StanzaEvents {

    /** {@code message}, {@code presence} or {@code iq}: the kinds of stanza (RFC 6120 §8). */
    public static final List<String> KINDS = List.of("message", "presence", "iq");

    /** The shape of a stanza's {@code to} address (RFC 7622 §3). */
    public enum Shape {
        /** localpart@domainpart/resourcepart: one resource of an account (or a room occupant). */
        FULL("full"),
        /** localpart@domainpart: an account (or a room), or no {@code to} at all (RFC 6120 §10.3). */
        BARE("bare"),
        /** domainpart (or domainpart/resourcepart): the host itself. */
        HOST("host");

        private final String label;

        Shape(String label) {
            this.label = label;
        }

        /** The shape of {@code to}; no address means the sender's own account. */
        public static Shape of(Jid to) {
            if (to == null) {
                return BARE;
            }
            if (to.asEntityBareJidIfPossible() == null) {
                return HOST;
            }
            return to.hasResource() ? FULL : BARE;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * A message for a local account with no resource to take it (RFC 6121 §8.5.2.2.1), fired by
     * the delivery module on the account's host: offline storage handles it; unhandled, the
     * sender gets {@code service-unavailable} (headline and error messages are dropped).
     */
    public static final EventType<StanzaEvent> MESSAGE_OFFLINE = EventType.named("message/offline");

    /**
     * A message was handed to local resources of its recipient by the delivery module, fired on
     * the recipient's host right after: for what must follow delivery and know who got the
     * original (carbon copies to the other resources, XEP-0280 §6). Handlers must not stop it.
     */
    public static final EventType<Delivered> MESSAGE_DELIVERED = EventType.named("message/delivered");

    /** A message and the sessions it was delivered to ({@link #MESSAGE_DELIVERED}). */
    public record Delivered(StanzaEvent event, java.util.List<im.parley.server.session.LocalSession> recipients) {

        public Delivered {
            recipients = java.util.List.copyOf(recipients);
        }
    }

    private StanzaEvents() {
    }

    /** {@code pre-<kind>/<shape>}: a stanza from a local client, on its host, before routing. */
    public static EventType<StanzaEvent> pre(String kind, Shape shape) {
        return EventType.named("pre-" + kind + "/" + shape);
    }

    /** The {@code pre-} events of one kind, for every shape (e.g. every outbound presence). */
    public static List<EventType<StanzaEvent>> pre(String kind) {
        return List.of(pre(kind, Shape.FULL), pre(kind, Shape.BARE), pre(kind, Shape.HOST));
    }

    /** {@code <kind>/<shape>}: a stanza for a local address, on the destination host. */
    public static EventType<StanzaEvent> to(String kind, Shape shape) {
        return EventType.named(kind + "/" + shape);
    }

    /** {@code iq-<type>/<shape>/<namespace>}: an IQ request by its payload's namespace. */
    public static EventType<StanzaEvent> iq(String type, Shape shape, String namespace) {
        return EventType.named("iq-" + type + "/" + shape + "/" + namespace);
    }
}
