package im.parley.server.event;

/**
 * Named priorities for handlers of stanza events (higher runs first), so that features hook
 * before or after one another without knowing each other, as in Prosody's router. Use these, or
 * an offset from one of them ({@code DELIVER + 10}) with a comment saying why.
 */
public final class EventPriority {

    /** Answers that belong to an earlier request of a module (a push app server's result). */
    public static final int CLAIM = 2000;
    /** Policy that stops stanzas before anything sees them: blocking (XEP-0191), privacy. */
    public static final int FILTER = 1000;
    /** Changes the stanza passed on ({@link StanzaEvent#replace}): stanza ids (XEP-0359), hints. */
    public static final int STAMP = 500;
    /** Sees the stanza before delivery and lets it pass: archive (XEP-0313), carbons (XEP-0280). */
    public static final int OBSERVE = 100;
    /** The server's own handling: presence subscriptions and probes, IQ handlers. */
    public static final int HANDLE = 50;
    /** Default delivery (RFC 6121 §8): the delivery module. */
    public static final int DELIVER = 0;
    /** Runs when nothing before it took the stanza. */
    public static final int FALLBACK = -1000;

    private EventPriority() {
    }
}
