package im.parley.core.stream;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * A stream-level error (RFC 6120 §4.9): the condition and an optional human-readable text.
 * Sending one is always followed by closing the stream (§4.9.1.1).
 */
public record StreamError(StreamErrorCondition condition, String text) {

    public static final Namespace STREAM_NS = Namespace.get("stream", Namespaces.STREAMS);

    public static StreamError of(StreamErrorCondition condition) {
        return new StreamError(condition, null);
    }

    public static StreamError of(StreamErrorCondition condition, String text) {
        return new StreamError(condition, text);
    }

    /** {@code <stream:error><condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text/></stream:error>}. */
    public Element toElement() {
        Element error = DocumentHelper.createElement(QName.get("error", STREAM_NS));
        error.addElement(QName.get(condition.elementName(), Namespace.get(Namespaces.STREAM_ERRORS)));
        if (text != null && !text.isEmpty()) {
            Element t = error.addElement(QName.get("text", Namespace.get(Namespaces.STREAM_ERRORS)));
            t.addAttribute(QName.get("lang", Namespace.XML_NAMESPACE), "en");
            t.setText(text);
        }
        return error;
    }

    @Override
    public String toString() {
        return condition.elementName() + (text == null ? "" : " (" + text + ")");
    }
}
