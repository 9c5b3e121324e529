package im.parley.server.modules.pep;

import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.pep.Pubsub.Refusal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The configuration of a PEP node: the fields of {@code pubsub#node_config} Parley implements
 * (XEP-0060 §16.4.4), with PEP's defaults (XEP-0163 §5: presence access, payloads delivered,
 * the last item sent on presence). A few fields describe what a PEP node always is and take only
 * that value ({@link #FIXED}: one publisher, the owner, XEP-0163 §2.2).
 *
 * @param maxItems how many items the node keeps, at most the server's {@code pep.max_items}
 * @param title {@code pubsub#title}, empty if none
 * @param description {@code pubsub#description}, empty if none
 * @param payloadType {@code pubsub#type}, the payload's namespace, empty if none
 * @param notificationType {@code pubsub#notification_type}: the type of the notification messages
 * @param deliverNotifications {@code pubsub#deliver_notifications}: none are sent when false
 * @param notifyConfig {@code pubsub#notify_config}: a change of configuration is notified (§8.2.5.3)
 * @param itemExpire {@code pubsub#item_expire}: seconds after which an item is deleted, 0 for never
 */
record NodeConfig(AccessModel accessModel, Set<String> rosterGroups, int maxItems, boolean persistItems,
                  SendLast sendLast, boolean deliverPayloads, boolean notifyRetract, boolean notifyDelete,
                  String title, String description, String payloadType, NotificationType notificationType,
                  boolean deliverNotifications, boolean notifyConfig, long itemExpire) {

    static final String ACCESS_MODEL = "pubsub#access_model";
    static final String ROSTER_GROUPS = "pubsub#roster_groups_allowed";
    static final String MAX_ITEMS = "pubsub#max_items";
    static final String PERSIST_ITEMS = "pubsub#persist_items";
    static final String SEND_LAST = "pubsub#send_last_published_item";
    static final String DELIVER_PAYLOADS = "pubsub#deliver_payloads";
    static final String NOTIFY_RETRACT = "pubsub#notify_retract";
    static final String NOTIFY_DELETE = "pubsub#notify_delete";
    static final String TITLE = "pubsub#title";
    static final String DESCRIPTION = "pubsub#description";
    static final String TYPE = "pubsub#type";
    static final String NOTIFICATION_TYPE = "pubsub#notification_type";
    static final String DELIVER_NOTIFICATIONS = "pubsub#deliver_notifications";
    static final String NOTIFY_CONFIG = "pubsub#notify_config";
    static final String ITEM_EXPIRE = Pubsub.ITEM_EXPIRE;
    /** The longest title, description or type kept ({@code VARCHAR(1023)}). */
    static final int MAX_TEXT = 1023;

    /**
     * Fields whose one value is what every PEP node does: only publishers (the owner) publish
     * (XEP-0163 §2.2), subscriptions are allowed and their owner is not told of them, items stay
     * when the publisher goes offline. A form may name them with that value (clients such as the
     * Snikket SDK send {@code pubsub#publish_model} with their publish-options); another value is
     * refused.
     */
    static final Map<String, String> FIXED = Map.of("pubsub#publish_model", "publishers", "pubsub#subscribe", "1",
            "pubsub#notify_sub", "0", "pubsub#purge_offline", "0");

    /** How notifications are sent ({@code pubsub#notification_type}): {@code headline} (XEP-0163 §4.3) or {@code normal}. */
    enum NotificationType {
        HEADLINE, NORMAL;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<NotificationType> of(String value) {
            return Pubsub.valueNamed(NotificationType.class, value);
        }
    }

    NodeConfig {
        rosterGroups = Set.copyOf(rosterGroups);
    }

    /** XEP-0163 §5 defaults; one item, as Prosody and ejabberd keep by default. */
    static NodeConfig defaults() {
        return new NodeConfig(AccessModel.PRESENCE, Set.of(), 1, true, SendLast.ON_SUB_AND_PRESENCE, true, true, true,
                "", "", "", NotificationType.HEADLINE, true, false, 0);
    }

    /**
     * The configuration with the fields of a submitted form applied (§8.2.5 node configuration,
     * §7.1.5 publish-options on a new node). {@code FORM_TYPE} is skipped; an unknown field, a
     * value out of range or another value for a {@link #FIXED} field is {@code not-acceptable}
     * (§8.2.5.2), a max_items over the server's limit a {@code policy-violation} naming it.
     */
    NodeConfig with(Map<String, List<String>> fields, int itemLimit) throws Refusal {
        Draft c = new Draft(this);
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            List<String> values = field.getValue();
            String value = values.isEmpty() ? "" : values.get(0);
            String name = field.getKey();
            switch (name) {
                case ACCESS_MODEL -> c.accessModel = AccessModel.of(value).orElseThrow(() -> value.equals("authorize")
                        ? Refusal.unsupported("access-authorize") : invalid(ACCESS_MODEL, value));
                case ROSTER_GROUPS -> c.rosterGroups = new TreeSet<>(values);
                case MAX_ITEMS -> c.maxItems = maxItems(value, itemLimit);
                case PERSIST_ITEMS -> c.persistItems = bool(PERSIST_ITEMS, value);
                case SEND_LAST -> c.sendLast = SendLast.of(value).orElseThrow(() -> invalid(SEND_LAST, value));
                case DELIVER_PAYLOADS -> c.deliverPayloads = bool(DELIVER_PAYLOADS, value);
                case NOTIFY_RETRACT -> c.notifyRetract = bool(NOTIFY_RETRACT, value);
                case NOTIFY_DELETE -> c.notifyDelete = bool(NOTIFY_DELETE, value);
                case TITLE -> c.title = text(TITLE, value);
                case DESCRIPTION -> c.description = text(DESCRIPTION, value);
                case TYPE -> c.payloadType = text(TYPE, value);
                case NOTIFICATION_TYPE -> c.notificationType = NotificationType.of(value)
                        .orElseThrow(() -> invalid(NOTIFICATION_TYPE, value));
                case DELIVER_NOTIFICATIONS -> c.deliverNotifications = bool(DELIVER_NOTIFICATIONS, value);
                case NOTIFY_CONFIG -> c.notifyConfig = bool(NOTIFY_CONFIG, value);
                case ITEM_EXPIRE -> c.itemExpire = Pubsub.itemExpireSeconds(value);
                case "FORM_TYPE" -> { }
                default -> {
                    if (!FIXED.containsKey(name)) {
                        throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "field " + name + " is not supported");
                    }
                    if (!fixedValueIs(name, value)) {
                        throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null,
                                "a PEP node's " + name + " is " + FIXED.get(name));
                    }
                }
            }
        }
        return c.build();
    }

    private static boolean fixedValueIs(String name, String value) {
        String fixed = FIXED.get(name);
        return switch (fixed) {
            case "1" -> value.equals("1") || value.equals("true");
            case "0" -> value.equals("0") || value.equals("false");
            default -> value.equals(fixed);
        };
    }

    /** A configuration being changed field by field. */
    private static final class Draft {
        AccessModel accessModel;
        Set<String> rosterGroups;
        int maxItems;
        boolean persistItems;
        SendLast sendLast;
        boolean deliverPayloads;
        boolean notifyRetract;
        boolean notifyDelete;
        String title;
        String description;
        String payloadType;
        NotificationType notificationType;
        boolean deliverNotifications;
        boolean notifyConfig;
        long itemExpire;

        Draft(NodeConfig c) {
            accessModel = c.accessModel;
            rosterGroups = c.rosterGroups;
            maxItems = c.maxItems;
            persistItems = c.persistItems;
            sendLast = c.sendLast;
            deliverPayloads = c.deliverPayloads;
            notifyRetract = c.notifyRetract;
            notifyDelete = c.notifyDelete;
            title = c.title;
            description = c.description;
            payloadType = c.payloadType;
            notificationType = c.notificationType;
            deliverNotifications = c.deliverNotifications;
            notifyConfig = c.notifyConfig;
            itemExpire = c.itemExpire;
        }

        NodeConfig build() {
            return new NodeConfig(accessModel, rosterGroups, maxItems, persistItems, sendLast, deliverPayloads,
                    notifyRetract, notifyDelete, title, description, payloadType, notificationType, deliverNotifications,
                    notifyConfig, itemExpire);
        }
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

    NodeConfig withMaxItems(int items) {
        Draft draft = new Draft(this);
        draft.maxItems = items;
        return draft.build();
    }

    /** §16.4.4 {@code pubsub#item_expire}: how long an item is kept after it was published, if not forever. */
    Optional<Duration> itemExpiry() {
        return itemExpire == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(itemExpire));
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

    private static String text(String var, String value) throws Refusal {
        if (value.length() > MAX_TEXT) {
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, var + " is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static Refusal invalid(String var, String value) {
        return Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "not a valid " + var + ": " + value);
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
        field(x, NOTIFY_CONFIG, "boolean", bool(notifyConfig));
        field(x, DELIVER_NOTIFICATIONS, "boolean", bool(deliverNotifications));
        Element notificationTypes = field(x, NOTIFICATION_TYPE, "list-single", notificationType.value());
        for (NotificationType kind : NotificationType.values()) {
            option(notificationTypes, kind.value());
        }
        field(x, TITLE, "text-single", title);
        field(x, DESCRIPTION, "text-single", description);
        field(x, TYPE, "text-single", payloadType);
        field(x, ITEM_EXPIRE, "text-single", itemExpire == 0 ? "" : Long.toString(itemExpire));
        Element publishModel = field(x, "pubsub#publish_model", "list-single", FIXED.get("pubsub#publish_model"));
        option(publishModel, FIXED.get("pubsub#publish_model"));
        field(x, "pubsub#subscribe", "boolean", FIXED.get("pubsub#subscribe"));
        field(x, "pubsub#notify_sub", "boolean", FIXED.get("pubsub#notify_sub"));
        field(x, "pubsub#purge_offline", "boolean", FIXED.get("pubsub#purge_offline"));
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
