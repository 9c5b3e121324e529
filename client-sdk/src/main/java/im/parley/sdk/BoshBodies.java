package im.parley.sdk;

import java.util.List;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * The {@code <body/>} wrappers a BOSH client sends (XEP-0124 §4), as the exact text that goes on
 * the wire: a request that has to be sent again is sent byte for byte the same (§14.3).
 */
final class BoshBodies {

    static final String HTTPBIND = "http://jabber.org/protocol/httpbind";
    static final String XBOSH = "urn:xmpp:xbosh";
    /** The version of XEP-0124 this client implements (§6 'ver'). */
    static final String VERSION = "1.11";

    private BoshBodies() {
    }

    /**
     * The session creation request (XEP-0124 §7.1, XEP-0206 §4): no {@code sid}, the longest
     * {@code wait} the client accepts, one request held at a time, XMPP version 1.0.
     */
    static String creation(long rid, String domain, String lang, long waitSeconds) {
        return open(rid, null)
                .attribute("to", domain)
                .attribute("xml:lang", lang)
                .attribute("ver", VERSION)
                .attribute("wait", waitSeconds)
                .attribute("hold", 1)
                .attribute("xmpp:version", "1.0")
                .attribute("xmlns:xmpp", XBOSH)
                .closeEmptyElement()
                .toString();
    }

    /** A request carrying payloads (§8); with none, an empty request for the server to hold (§10). */
    static String payload(long rid, String sid, List<String> payloads) {
        return withPayloads(open(rid, sid), payloads);
    }

    /** XEP-0206 §5: after SASL success the client restarts the stream with an empty body. */
    static String restart(long rid, String sid, String domain, String lang) {
        return open(rid, sid)
                .attribute("to", domain)
                .attribute("xml:lang", lang)
                .attribute("xmpp:restart", "true")
                .attribute("xmlns:xmpp", XBOSH)
                .closeEmptyElement()
                .toString();
    }

    /** XEP-0124 §13: ends the session, carrying the last payloads (e.g. unavailable presence). */
    static String terminate(long rid, String sid, List<String> payloads) {
        return withPayloads(open(rid, sid).attribute("type", "terminate"), payloads);
    }

    private static XmlStringBuilder open(long rid, String sid) {
        XmlStringBuilder xml = new XmlStringBuilder();
        xml.halfOpenElement("body").xmlnsAttribute(HTTPBIND).attribute("rid", rid).optAttribute("sid", sid);
        return xml;
    }

    private static String withPayloads(XmlStringBuilder xml, List<String> payloads) {
        if (payloads.isEmpty()) {
            return xml.closeEmptyElement().toString();
        }
        xml.rightAngleBracket();
        payloads.forEach(xml::append);
        return xml.closeElement("body").toString();
    }
}
