package im.parley.push;

import org.dom4j.Element;
import org.dom4j.QName;

/** The XEP-0004 data form operations the app server needs. */
final class Forms {

    static final String DATA = "jabber:x:data";

    private Forms() {
    }

    static Element find(Element parent) {
        return parent == null ? null : parent.element(QName.get("x", DATA));
    }

    static String value(Element form, String var) {
        if (form == null) {
            return null;
        }
        for (Element field : form.elements(QName.get("field", DATA))) {
            if (var.equals(field.attributeValue("var"))) {
                String value = field.elementTextTrim(QName.get("value", DATA));
                return value == null || value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    static Element field(Element form, String var, String type, String label, String value) {
        Element field = form.addElement(QName.get("field", DATA)).addAttribute("var", var);
        if (type != null) {
            field.addAttribute("type", type);
        }
        if (label != null) {
            field.addAttribute("label", label);
        }
        if (value != null) {
            field.addElement(QName.get("value", DATA)).setText(value);
        }
        return field;
    }
}
