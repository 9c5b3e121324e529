package im.parley.bench.client;

import org.dom4j.Element;

/**
 * The client side of XEP-0198 stream management for one session: enabled with resumption after
 * binding (§3), acknowledging the server's requests with the count of stanzas received (§4), and
 * resuming the session on a new connection after the old one was lost (§5).
 *
 * <p>One instance follows a session across its connections: {@link #resumption()} hands the id
 * and the count over to the connection that resumes it.
 */
public final class StreamManagement {
    static final String NS = "urn:xmpp:sm:3";
    /** §4: the count is an unsigned 32-bit integer that wraps to 0. */
    private static final long H_MODULO = 1L << 32;

    private final String previousId;
    private volatile String id;
    /** Stanzas received since {@code <enabled/>}; written on the connection's event loop only. */
    private volatile long handled;
    private volatile boolean counting;

    private StreamManagement(String previousId, long handled) {
        this.previousId = previousId;
        this.handled = handled;
    }

    /** A new session that enables stream management with resumption once it is bound. */
    public static StreamManagement enableWithResumption() {
        return new StreamManagement(null, 0);
    }

    /**
     * The state a new connection needs to resume this session (§5): the id the server gave and
     * the stanzas handled so far. Call it once the old connection is closed, so the count is final.
     */
    public StreamManagement resumption() {
        if (id == null) {
            throw new IllegalStateException("the server never enabled resumption for this session");
        }
        return new StreamManagement(id, handled);
    }

    /** True once the server has enabled resumption and given the session an id. */
    public boolean isResumable() {
        return id != null;
    }

    boolean resumes() {
        return previousId != null;
    }

    String enableRequest() {
        return "<enable xmlns='" + NS + "' resume='true'/>";
    }

    String resumeRequest() {
        return "<resume xmlns='" + NS + "' h='" + handled + "' previd='" + previousId + "'/>";
    }

    /** §4: every stanza received after {@code <enabled/>} or {@code <resumed/>} counts. */
    void received(Element element) {
        if (counting && isStanza(element)) {
            handled = (handled + 1) % H_MODULO;
        }
    }

    private static boolean isStanza(Element element) {
        String name = element.getName();
        return "message".equals(name) || "presence".equals(name) || "iq".equals(name);
    }

    /**
     * Handles a stream management element; returns the condition of a {@code <failed/>}, or
     * null. {@code <resumed/>} keeps the count the client sent (§5: the server retransmits what
     * the client had not handled).
     */
    String onElement(XmppClient client, Element element) {
        switch (element.getName()) {
            case "enabled" -> {
                id = element.attributeValue("id");
                counting = true;
            }
            case "resumed" -> {
                id = previousId;
                counting = true;
            }
            case "r" -> client.send("<a xmlns='" + NS + "' h='" + handled + "'/>");
            case "failed" -> {
                return ErrorCondition.nameOf(element);
            }
            default -> { }
        }
        return null;
    }
}
