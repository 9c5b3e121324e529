package im.parley.server.modules.push;

import org.dom4j.Element;
import org.dom4j.QName;

/** The few XEP-0004 data form operations push needs. */
final class DataForms {

    private DataForms() {
    }

    /** The first value of the field {@code var}, or null. */
    static String value(Element form, String var) {
        for (Element field : form.elements("field")) {
            if (var.equals(field.attributeValue("var"))) {
                return field.elementText("value");
            }
        }
        return null;
    }

    /** XEP-0004 §3.3: boolean values are {@code 1}/{@code true} or {@code 0}/{@code false}. */
    static boolean isTrue(Element form, String var) {
        String value = value(form, var);
        return "1".equals(value) || "true".equals(value);
    }

    static void addField(Element form, String var, String value) {
        Element field = form.addElement(QName.get("field", PushNamespaces.DATA)).addAttribute("var", var);
        field.addElement(QName.get("value", PushNamespaces.DATA)).setText(value);
    }
}
