package im.parley.core.stream;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/** A stanza-level error (RFC 6120 §8.3): type, defined condition and optional text. */
public record StanzaError(StanzaErrorType type, StanzaErrorCondition condition, String text) {

    public static StanzaError of(StanzaErrorCondition condition) {
        return new StanzaError(condition.defaultType(), condition, null);
    }

    public static StanzaError of(StanzaErrorCondition condition, String text) {
        return new StanzaError(condition.defaultType(), condition, text);
    }

    /** The {@code <error/>} child element, in the given stanza content namespace. */
    public Element toElement(String contentNamespace) {
        Element error = DocumentHelper.createElement(QName.get("error", Namespace.get(contentNamespace)));
        error.addAttribute("type", type.attributeValue());
        error.addElement(QName.get(condition.elementName(), Namespace.get(Namespaces.STANZA_ERRORS)));
        if (text != null && !text.isEmpty()) {
            Element t = error.addElement(QName.get("text", Namespace.get(Namespaces.STANZA_ERRORS)));
            t.addAttribute(QName.get("lang", Namespace.XML_NAMESPACE), "en");
            t.setText(text);
        }
        return error;
    }
}
