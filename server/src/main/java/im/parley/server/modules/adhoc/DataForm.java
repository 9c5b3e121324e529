package im.parley.server.modules.adhoc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Builds and reads the {@code jabber:x:data} forms (XEP-0004) commands exchange: a form of type
 * {@code form} or {@code result} with a hidden {@code FORM_TYPE} (XEP-0068), and the values of a
 * submitted one.
 */
public final class DataForm {

    public static final String NAMESPACE = "jabber:x:data";
    private static final Namespace DATA = Namespace.get(NAMESPACE);

    private final Element form;

    private DataForm(String type, String formType) {
        form = DocumentHelper.createElement(QName.get("x", DATA)).addAttribute("type", type);
        if (formType != null) {
            field("FORM_TYPE", "hidden", null, false, List.of(formType));
        }
    }

    /** A form to fill in (XEP-0004 §3.1, type {@code form}). */
    public static DataForm form(String formType, String title, String instructions) {
        DataForm form = new DataForm("form", null);
        form.form.addElement(QName.get("title", DATA)).setText(title);
        form.form.addElement(QName.get("instructions", DATA)).setText(instructions);
        if (formType != null) {
            form.field("FORM_TYPE", "hidden", null, false, List.of(formType));
        }
        return form;
    }

    /** The data a command returns (type {@code result}). */
    public static DataForm result(String formType) {
        return new DataForm("result", formType);
    }

    /** Adds a field; {@code type} null for a result field without one. */
    public DataForm field(String var, String type, String label, boolean required, List<String> values) {
        Element field = form.addElement(QName.get("field", DATA)).addAttribute("var", var);
        if (type != null) {
            field.addAttribute("type", type);
        }
        if (label != null) {
            field.addAttribute("label", label);
        }
        if (required) {
            field.addElement(QName.get("required", DATA));
        }
        for (String value : values) {
            field.addElement(QName.get("value", DATA)).setText(value);
        }
        return this;
    }

    /** Adds a {@code list-single} field with these options (value and label alike) and a default value. */
    public DataForm listSingle(String var, String label, List<String> options, String value) {
        Map<String, String> labelled = new LinkedHashMap<>();
        options.forEach(option -> labelled.put(option, option));
        return listSingle(var, label, labelled, value);
    }

    /** Adds a {@code list-single} field with these options (value to label, in order) and no default value. */
    public DataForm listSingle(String var, String label, Map<String, String> labelledOptions) {
        return listSingle(var, label, labelledOptions, null);
    }

    private DataForm listSingle(String var, String label, Map<String, String> labelledOptions, String value) {
        field(var, "list-single", label, false, value == null ? List.of() : List.of(value));
        Element field = form.elements("field").get(form.elements("field").size() - 1);
        labelledOptions.forEach((option, optionLabel) -> field.addElement(QName.get("option", DATA))
                .addAttribute("label", optionLabel).addElement(QName.get("value", DATA)).setText(option));
        return this;
    }

    public Element element() {
        return form;
    }

    /** The submitted {@code <x xmlns='jabber:x:data'/>} among a command's children, or null. */
    public static Element submitted(Element command) {
        return command.element(QName.get("x", DATA));
    }

    /** The values of a field of a submitted form, in order; empty when the form or field is absent. */
    public static List<String> values(Element form, String var) {
        List<String> values = new ArrayList<>();
        if (form == null) {
            return values;
        }
        for (Element field : form.elements(QName.get("field", DATA))) {
            if (var.equals(field.attributeValue("var"))) {
                for (Element value : field.elements(QName.get("value", DATA))) {
                    values.add(value.getText());
                }
            }
        }
        return values;
    }

    /** The first value of a field of a submitted form, trimmed; null when absent or empty. */
    public static String value(Element form, String var) {
        List<String> values = values(form, var);
        if (values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        return values.get(0).trim();
    }
}
