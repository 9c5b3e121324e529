package im.parley.server.modules.pep;

import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.pep.Pubsub.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The configuration of a PEP node: the fields of {@code pubsub#node_config} Parley implements
 * (XEP-0060 §16.4.4), with PEP's defaults (XEP-0163 §5: presence access, payloads delivered,
 * the last item sent on presence).
 *
 * @param maxItems how many items the node keeps, at most the server's {@code pep.max_items}
 */
record NodeConfig(AccessModel accessModel, Set<String> rosterGroups, int maxItems, boolean persistItems,
                  SendLast sendLast, boolean deliverPayloads, boolean notifyRetract, boolean notifyDelete) {

    static final String ACCESS_MODEL = "pubsub#access_model";
    static final String ROSTER_GROUPS = "pubsub#roster_groups_allowed";
    static final String MAX_ITEMS = "pubsub#max_items";
    static final String PERSIST_ITEMS = "pubsub#persist_items";
    static final String SEND_LAST = "pubsub#send_last_published_item";
    static final String DELIVER_PAYLOADS = "pubsub#deliver_payloads";
    static final String NOTIFY_RETRACT = "pubsub#notify_retract";
    static final String NOTIFY_DELETE = "pubsub#notify_delete";

    NodeConfig {
        rosterGroups = Set.copyOf(rosterGroups);
    }

    /** XEP-0163 §5 defaults; one item, as Prosody and ejabberd keep by default. */
    static NodeConfig defaults() {
        return new NodeConfig(AccessModel.PRESENCE, Set.of(), 1, true, SendLast.ON_SUB_AND_PRESENCE, true, true, true);
    }

    /**
     * The configuration with the fields of a submitted form applied (§8.2.5 node configuration,
     * §7.1.5 publish-options on a new node). {@code FORM_TYPE} is skipped; an unknown field, or a
     * value out of range, is {@code not-acceptable} (§8.2.5.3 "invalid form"), a max_items over
     * the server's limit a {@code policy-violation} naming it.
     */
    NodeConfig with(Map<String, List<String>> fields, int itemLimit) throws Refusal {
        NodeConfig c = this;
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            List<String> values = field.getValue();
            String value = values.isEmpty() ? "" : values.get(0);
            c = switch (field.getKey()) {
                case ACCESS_MODEL -> c.withAccess(AccessModel.of(value).orElseThrow(() -> value.equals("authorize")
                        ? Refusal.unsupported("access-authorize") : invalid(ACCESS_MODEL, value)), c.rosterGroups);
                case ROSTER_GROUPS -> c.withAccess(c.accessModel, new TreeSet<>(values));
                case MAX_ITEMS -> c.withMaxItems(maxItems(value, itemLimit));
                case PERSIST_ITEMS -> new NodeConfig(c.accessModel, c.rosterGroups, c.maxItems, bool(PERSIST_ITEMS, value),
                        c.sendLast, c.deliverPayloads, c.notifyRetract, c.notifyDelete);
                case SEND_LAST -> new NodeConfig(c.accessModel, c.rosterGroups, c.maxItems, c.persistItems,
                        SendLast.of(value).orElseThrow(() -> invalid(SEND_LAST, value)), c.deliverPayloads,
                        c.notifyRetract, c.notifyDelete);
                case DELIVER_PAYLOADS -> new NodeConfig(c.accessModel, c.rosterGroups, c.maxItems, c.persistItems,
                        c.sendLast, bool(DELIVER_PAYLOADS, value), c.notifyRetract, c.notifyDelete);
                case NOTIFY_RETRACT -> new NodeConfig(c.accessModel, c.rosterGroups, c.maxItems, c.persistItems,
                        c.sendLast, c.deliverPayloads, bool(NOTIFY_RETRACT, value), c.notifyDelete);
                case NOTIFY_DELETE -> new NodeConfig(c.accessModel, c.rosterGroups, c.maxItems, c.persistItems,
                        c.sendLast, c.deliverPayloads, c.notifyRetract, bool(NOTIFY_DELETE, value));
                case "FORM_TYPE" -> c;
                default -> throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null,
                        "field " + field.getKey() + " is not supported");
            };
        }
        return c;
    }

    /**
     * XEP-0060 §7.1.5: whether this (existing) node's configuration matches every field given
     * as publish-options; a field Parley does not know cannot match.
     */
    boolean satisfies(Map<String, List<String>> preconditions, int itemLimit) {
        try {
            return with(preconditions, itemLimit).equals(this);
        } catch (Refusal e) {
            return false;
        }
    }

    private NodeConfig withAccess(AccessModel model, Set<String> groups) {
        return new NodeConfig(model, groups, maxItems, persistItems, sendLast, deliverPayloads, notifyRetract, notifyDelete);
    }

    NodeConfig withMaxItems(int items) {
        return new NodeConfig(accessModel, rosterGroups, items, persistItems, sendLast, deliverPayloads, notifyRetract,
                notifyDelete);
    }

    /** How many items are kept: one for a node that does not persist items (the last, for §4.3.4). */
    int keptItems() {
        return persistItems ? maxItems : 1;
    }

    /** XEP-0060 §16.4.4: {@code max} is the most the service allows. */
    private static int maxItems(String value, int limit) throws Refusal {
        if ("max".equals(value)) {
            return limit;
        }
        int items;
        try {
            items = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(MAX_ITEMS, value);
        }
        if (items < 1) {
            throw invalid(MAX_ITEMS, value);
        }
        if (items > limit) {
            throw Refusal.of(StanzaErrorCondition.POLICY_VIOLATION, null,
                    MAX_ITEMS + " " + items + " is over this server's limit of " + limit + " (pep.max_items)");
        }
        return items;
    }

    /** XEP-0004 §3.3 booleans. */
    private static boolean bool(String var, String value) throws Refusal {
        return switch (value.trim()) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw invalid(var, value);
        };
    }

    private static Refusal invalid(String var, String value) {
        return Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "not a valid " + var + ": " + value);
    }

    /** The fields of a submitted data form (XEP-0004 §3.4), in order, each with its values. */
    static Map<String, List<String>> fields(Element x) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (x == null) {
            return fields;
        }
        for (Element field : x.elements(QName.get("field", Pubsub.DATA))) {
            List<String> values = new ArrayList<>();
            field.elements(QName.get("value", Pubsub.DATA)).forEach(v -> values.add(v.getTextTrim()));
            fields.put(field.attributeValue("var", ""), values);
        }
        return fields;
    }

    /** The node configuration form (XEP-0060 §8.2.1, §16.4.4) with this configuration's values. */
    Element form(String type) {
        Element x = DocumentHelper.createElement(QName.get("x", Pubsub.DATA)).addAttribute("type", type);
        field(x, "FORM_TYPE", "hidden", Pubsub.NODE_CONFIG);
        Element access = field(x, ACCESS_MODEL, "list-single", accessModel.value());
        for (AccessModel model : AccessModel.values()) {
            option(access, model.value());
        }
        Element groups = field(x, ROSTER_GROUPS, "list-multi");
        rosterGroups.stream().sorted().forEach(g -> groups.addElement(QName.get("value", Pubsub.DATA)).setText(g));
        field(x, MAX_ITEMS, "text-single", Integer.toString(maxItems));
        field(x, PERSIST_ITEMS, "boolean", bool(persistItems));
        Element last = field(x, SEND_LAST, "list-single", sendLast.value());
        for (SendLast when : SendLast.values()) {
            option(last, when.value());
        }
        field(x, DELIVER_PAYLOADS, "boolean", bool(deliverPayloads));
        field(x, NOTIFY_RETRACT, "boolean", bool(notifyRetract));
        field(x, NOTIFY_DELETE, "boolean", bool(notifyDelete));
        return x;
    }

    private static String bool(boolean value) {
        return value ? "1" : "0";
    }

    private static Element field(Element x, String var, String type, String... values) {
        Element field = x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", var).addAttribute("type", type);
        for (String value : values) {
            field.addElement(QName.get("value", Pubsub.DATA)).setText(value);
        }
        return field;
    }

    private static void option(Element field, String value) {
        field.addElement(QName.get("option", Pubsub.DATA)).addElement(QName.get("value", Pubsub.DATA)).setText(value);
    }
}
