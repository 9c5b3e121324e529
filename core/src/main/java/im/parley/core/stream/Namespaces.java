package im.parley.core.stream;

/** XML namespaces used on XMPP streams (RFC 6120 §4.8 and Appendix A). */
public final class Namespaces {
    /** The stream namespace, RFC 6120 §4.8.1. */
    public static final String STREAMS = "http://etherx.jabber.org/streams";
    /** Content namespace of client-to-server streams, RFC 6120 §4.8.2. */
    public static final String CLIENT = "jabber:client";
    /** Content namespace of server-to-server streams, RFC 6120 §4.8.2. */
    public static final String SERVER = "jabber:server";
    /** Stream error conditions, RFC 6120 §4.9.3. */
    public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
    /** Stanza error conditions, RFC 6120 §8.3.3. */
    public static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    /** STARTTLS, RFC 6120 §5.4. */
    public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    /** SASL, RFC 6120 §6.4. */
    public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    /** Resource binding, RFC 6120 §7. */
    public static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    /** Legacy session establishment, RFC 3921 §3 / draft-cridland-xmpp-session-01. */
    public static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
    /** Dialback, XEP-0220. */
    public static final String DIALBACK = "jabber:server:dialback";
    /** XML namespace (xml:lang). */
    public static final String XML = "http://www.w3.org/XML/1998/namespace";

    private Namespaces() {
    }
}
