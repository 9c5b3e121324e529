package im.parley.core.routing;

import java.util.Objects;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * A stanza on its way through the router: the element and its addresses, parsed once into
 * typed JIDs. {@code from} has been stamped or checked by the session the stanza came from
 * (RFC 6120 §8.1.2); {@code to} is null when the stanza had no {@code to} attribute. The element
 * is not modified once routing starts: whoever needs a variant copies it (STYLE.md #13).
 */
public record Stanza(Element element, Jid from, Jid to) {

    public Stanza {
        Objects.requireNonNull(element, "element");
    }

    /** {@code message}, {@code presence} or {@code iq}. */
    public String kind() {
        return element.getName();
    }

    /** The {@code type} attribute, or null. */
    public String type() {
        return element.attributeValue("type");
    }

    public String id() {
        return element.attributeValue("id");
    }

    public boolean isIq() {
        return "iq".equals(element.getName());
    }

    public boolean isMessage() {
        return "message".equals(element.getName());
    }

    public boolean isPresence() {
        return "presence".equals(element.getName());
    }

    public boolean isError() {
        return "error".equals(type());
    }
}
