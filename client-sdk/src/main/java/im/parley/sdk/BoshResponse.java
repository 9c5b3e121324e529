package im.parley.sdk;

import java.io.IOException;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * One response of a BOSH connection manager: the attributes of its {@code <body/>} (XEP-0124
 * §4) and a parser standing on that start tag, from which the payloads are read. The text is
 * parsed once: the session reads the attributes, the connection then reads on to the payloads.
 */
final class BoshResponse {

    private final XmlPullParser parser;
    private final long rid;

    private BoshResponse(XmlPullParser parser, long rid) {
        this.parser = parser;
        this.rid = rid;
    }

    /**
     * Reads the {@code <body/>} start tag of the response to request {@code rid}.
     *
     * @throws IOException if the text is not a BOSH body (e.g. an HTTP intermediary's error page)
     */
    static BoshResponse parse(long rid, String xml) throws IOException {
        try {
            XmlPullParser parser = PacketParserUtils.getParserFor(xml);
            if (!"body".equals(parser.getName()) || !BoshBodies.HTTPBIND.equals(parser.getNamespace())) {
                throw new IOException("not a BOSH <body/> but <" + parser.getName() + "/> in " + parser.getNamespace());
            }
            return new BoshResponse(parser, rid);
        } catch (XmlPullParserException e) {
            throw new IOException("malformed BOSH response: " + e.getMessage(), e);
        }
    }

    /** The rid of the request this answers. */
    long rid() {
        return rid;
    }

    /** The parser, on the {@code <body/>} start tag until the payloads are read. */
    XmlPullParser parser() {
        return parser;
    }

    String attribute(String name) {
        return parser.getAttributeValue("", name);
    }

    /** A numeric attribute of the session creation response (§7.2), or {@code fallback} if absent or not a number. */
    long number(String name, long fallback) {
        String value = attribute(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** XEP-0124 §17.2: a terminal binding condition ends the session. */
    boolean isTerminate() {
        return "terminate".equals(attribute("type"));
    }

    /** XEP-0124 §17.3: a recoverable binding condition asks the client to send its requests again. */
    boolean isRecoverableError() {
        return "error".equals(attribute("type"));
    }
}
