package im.parley.server.modules.pep;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.pep.Pubsub.Refusal;
import java.util.List;
import java.util.Map;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The options of one subscription (XEP-0060 §6.3, the {@code pubsub#subscribe_options} form of
 * §16.4.2), for PEP and the publish-subscribe service alike: whether the subscriber gets event
 * notifications at all ({@code pubsub#deliver}) and whether a notification of a published item
 * carries a {@code <body/>} besides its payload ({@code pubsub#include_body}), for clients that
 * show messages but do not read payloads. The other registered fields (digests, leases,
 * presence-dependent delivery, collection depth) are not offered: a form that sets one is
 * refused with {@code invalid-options} (§6.3.5).
 *
 * @param deliver     {@code pubsub#deliver}: notifications sent (the default)
 * @param includeBody {@code pubsub#include_body}: a body with each published item (not by default)
 */
public record SubscriptionOptions(boolean deliver, boolean includeBody) {

    /** The form's FORM_TYPE (§16.4.2). */
    public static final String FORM_TYPE = Pubsub.NS + "#subscribe_options";
    /** Options of a subscription no one configured (§6.4, the default subscription options). */
    public static final SubscriptionOptions DEFAULT = new SubscriptionOptions(true, false);

    static final String DELIVER = "pubsub#deliver";
    static final String INCLUDE_BODY = "pubsub#include_body";
    private static final int MAX_BODY = 3000;
    private static final String ATOM = "http://www.w3.org/2005/Atom";

    /**
     * These options as a data form: {@code form} for a subscriber to fill in (§6.3.2), with the
     * fields' types and labels, or {@code result} (§6.3.7, §6.4.2).
     */
    public Element form(String type) {
        Element x = DocumentHelper.createElement(QName.get("x", Pubsub.DATA)).addAttribute("type", type);
        x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", "FORM_TYPE").addAttribute("type", "hidden")
                .addElement(QName.get("value", Pubsub.DATA)).setText(FORM_TYPE);
        field(x, DELIVER, "Enable delivery?", deliver);
        field(x, INCLUDE_BODY, "Receive message body in addition to payload?", includeBody);
        return x;
    }

    private static void field(Element x, String var, String label, boolean value) {
        x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", var).addAttribute("type", "boolean")
                .addAttribute("label", label).addElement(QName.get("value", Pubsub.DATA)).setText(value ? "1" : "0");
    }

    /**
     * These options with the fields of a submitted form applied (§6.3.5, §6.3.7): a field left
     * out keeps its value, a cancelled form changes nothing. Another FORM_TYPE, a field the
     * service does not offer or a value that is no boolean (XEP-0004 §3.3: 0, 1, false, true) is
     * {@code bad-request} with {@code invalid-options} (§6.3.6).
     */
    public SubscriptionOptions with(Element x) throws Refusal {
        if (x == null) {
            throw invalid("no data form");
        }
        String type = x.attributeValue("type", "submit");
        if ("cancel".equals(type)) {
            return this;
        }
        if (!"submit".equals(type)) {
            throw invalid("the form's type must be submit, not " + type);
        }
        boolean newDeliver = deliver;
        boolean newIncludeBody = includeBody;
        for (Map.Entry<String, List<String>> field : Pubsub.fields(x).entrySet()) {
            List<String> values = field.getValue();
            switch (field.getKey()) {
                case "FORM_TYPE" -> {
                    if (!List.of(FORM_TYPE).equals(values)) {
                        throw invalid("FORM_TYPE must be " + FORM_TYPE);
                    }
                }
                case DELIVER -> newDeliver = bool(field.getKey(), values);
                case INCLUDE_BODY -> newIncludeBody = bool(field.getKey(), values);
                default -> throw invalid("the service offers no subscription option " + field.getKey());
            }
        }
        return new SubscriptionOptions(newDeliver, newIncludeBody);
    }

    /**
     * §6.3.7: the options a subscribe request's {@code <pubsub/>} gives after its
     * {@code <subscribe/>}, applied to the defaults; null if it gives none. The
     * {@code <options/>} names neither node nor JID (the {@code <subscribe/>} does):
     * {@code bad-request} if it does.
     */
    public static SubscriptionOptions requested(Element pubsub) throws Refusal {
        Element options = pubsub.element(QName.get("options", Pubsub.NS));
        if (options == null) {
            return null;
        }
        if (options.attributeValue("node") != null || options.attributeValue("jid") != null) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, null, "the options of a subscribe request name no node or JID");
        }
        return DEFAULT.with(options.element(QName.get("x", Pubsub.DATA)));
    }

    private static boolean bool(String var, List<String> values) throws Refusal {
        if (values.size() == 1) {
            switch (values.get(0)) {
                case "1", "true" -> {
                    return true;
                }
                case "0", "false" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw invalid(var + " takes one boolean value");
    }

    private static Refusal invalid(String text) {
        return Refusal.of(StanzaErrorCondition.BAD_REQUEST, "invalid-options", text);
    }

    /**
     * {@code message}, an event notification, with a {@code <body/>} added if these options ask
     * for one and the event carries a published item's payload: an Atom entry's title and
     * summary (the payload of XEP-0060's own examples), else the payload's text, at most 3,000
     * characters. The message itself otherwise, unchanged.
     */
    public Element withBody(Element message) {
        if (!includeBody) {
            return message;
        }
        Element event = message.element(QName.get("event", Pubsub.EVENT));
        Element items = event == null ? null : event.element(QName.get("items", Pubsub.EVENT));
        Element item = items == null ? null : items.element(QName.get("item", Pubsub.EVENT));
        if (item == null || item.elements().isEmpty()) {
            return message;
        }
        String text = summary(item.elements().get(0));
        if (text.isEmpty()) {
            return message;
        }
        Element copy = message.createCopy();
        Element body = DocumentHelper.createElement(QName.get("body", Namespaces.CLIENT));
        body.setText(text.length() > MAX_BODY ? text.substring(0, MAX_BODY) : text);
        copy.content().add(0, body);
        return copy;
    }

    private static String summary(Element payload) {
        if ("entry".equals(payload.getName()) && ATOM.equals(payload.getNamespaceURI())) {
            String title = textOf(payload.element(QName.get("title", ATOM)));
            String summary = textOf(payload.element(QName.get("summary", ATOM)));
            String both = title.isEmpty() || summary.isEmpty() ? title + summary : title + "\n" + summary;
            if (!both.isEmpty()) {
                return both;
            }
        }
        return payload.getStringValue().strip().replaceAll("\\s+", " ");
    }

    private static String textOf(Element element) {
        return element == null ? "" : element.getStringValue().strip();
    }
}
