package im.parley.bench.client;

import org.dom4j.Element;

/** Names the defined condition of a stream, SASL or stanza error for the failure reason. */
public final class ErrorCondition {

    private ErrorCondition() {
    }

    /**
     * The condition is the first child of the error element (RFC 6120 §4.9.2 stream errors,
     * §6.5 SASL failures, §8.3.2 stanza errors).
     */
    public static String nameOf(Element error) {
        if (error == null || error.elements().isEmpty()) {
            return "(no condition)";
        }
        return error.elements().get(0).getName();
    }
}
