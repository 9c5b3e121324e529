package im.parley.core.stream;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * XEP-0478 (Stream Limits Advertisement): the {@code <limits/>} element a receiving entity puts
 * in its stream features (§3.1), written on client streams and inbound server streams, read on
 * outbound server streams.
 */
public final class StreamLimits {

    public static final String NAMESPACE = "urn:xmpp:stream-limits:0";
    private static final Namespace NS = Namespace.get(NAMESPACE);

    private StreamLimits() {
    }

    /**
     * The {@code <max-bytes/>} the peer announced in these stream features (XEP-0478 §3.1), or 0
     * when it announced none, or nothing usable (not a positive integer): then no limit is known.
     * Larger than an int means no limit a stanza could reach.
     */
    public static int advertisedMaxBytes(Element features) {
        Element limits = features.element(QName.get("limits", NS));
        Element maxBytes = limits == null ? null : limits.element(QName.get("max-bytes", NS));
        if (maxBytes == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(maxBytes.getTextTrim());
            return value < 1 ? 0 : (int) Math.min(Integer.MAX_VALUE, value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@code <limits/>} with {@code <max-bytes/>} and, when {@code idleSeconds} is positive,
     * {@code <idle-seconds/>} (XEP-0478 §3.1).
     */
    public static Element element(int maxBytes, long idleSeconds) {
        Element limits = DocumentHelper.createElement(QName.get("limits", NS));
        limits.addElement(QName.get("max-bytes", NS)).setText(Integer.toString(maxBytes));
        if (idleSeconds > 0) {
            limits.addElement(QName.get("idle-seconds", NS)).setText(Long.toString(idleSeconds));
        }
        return limits;
    }
}
