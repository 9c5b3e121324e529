package im.parley.server.modules.pubsub;

import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.pep.Pubsub;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.storage.StoredXml;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The configuration of a node of the publish-subscribe service: the fields of the
 * {@code pubsub#node_config} form (XEP-0060 §16.4.4) the service implements, each with its
 * value, and the service's defaults for a new node (§8.3). A submitted form (§8.1.3 create and
 * configure, §8.2.4 configure, §7.1.5 publish-options on a new node) changes the fields it names;
 * an unknown field, a value the field does not take, or another value for a field whose one value
 * is what every node here does ({@code presence_based_delivery}, {@code purge_offline},
 * {@code node_type}) is {@code not-acceptable} (§8.2.5.2), but a collection node is
 * {@code feature-not-implemented} naming {@code collections}; a {@code max_items} or
 * {@code max_payload_size} over the service's limit is a {@code policy-violation} naming it.
 * Kept in the database as the form it shows ({@link #stored()}), so that a field added later needs
 * no migration: a stored configuration without it has the default.
 */
final class NodeSettings {

    static final String ACCESS_MODEL = "pubsub#access_model";
    static final String ROSTER_GROUPS = "pubsub#roster_groups_allowed";
    static final String PUBLISH_MODEL = "pubsub#publish_model";
    static final String MAX_ITEMS = "pubsub#max_items";
    static final String MAX_PAYLOAD_SIZE = "pubsub#max_payload_size";
    static final String ITEM_EXPIRE = Pubsub.ITEM_EXPIRE;
    static final String PERSIST_ITEMS = "pubsub#persist_items";
    static final String DELIVER_PAYLOADS = "pubsub#deliver_payloads";
    static final String DELIVER_NOTIFICATIONS = "pubsub#deliver_notifications";
    static final String NOTIFY_RETRACT = "pubsub#notify_retract";
    static final String NOTIFY_DELETE = "pubsub#notify_delete";
    static final String NOTIFY_CONFIG = "pubsub#notify_config";
    static final String NOTIFY_SUB = "pubsub#notify_sub";
    static final String SUBSCRIBE = "pubsub#subscribe";
    static final String SEND_LAST = "pubsub#send_last_published_item";
    static final String NOTIFICATION_TYPE = "pubsub#notification_type";
    static final String ITEM_REPLY = "pubsub#itemreply";
    static final String TITLE = "pubsub#title";
    static final String DESCRIPTION = "pubsub#description";
    static final String TYPE = "pubsub#type";
    static final String NODE_TYPE = "pubsub#node_type";
    static final String PRESENCE_BASED = "pubsub#presence_based_delivery";
    static final String PURGE_OFFLINE = "pubsub#purge_offline";

    /** The longest title, description or type kept. */
    static final int MAX_TEXT = 1023;
    /** A new node's {@code max_items}, unless the service's limit is lower. */
    static final int DEFAULT_MAX_ITEMS = 20;

    /** How a field takes its values. */
    private enum Kind { BOOLEAN, CHOICE, NUMBER, SECONDS, TEXT, GROUPS }

    /** One field: its form type, its kind, its choices (CHOICE) and the one value it takes (fixed). */
    private record Field(String var, String formType, Kind kind, List<String> choices, boolean fixed) {
    }

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    static {
        choice(ACCESS_MODEL, List.of("open", "presence", "roster", "authorize", "whitelist"));
        add(new Field(ROSTER_GROUPS, "list-multi", Kind.GROUPS, List.of(), false));
        choice(PUBLISH_MODEL, List.of("publishers", "subscribers", "open"));
        add(new Field(MAX_ITEMS, "text-single", Kind.NUMBER, List.of(), false));
        add(new Field(MAX_PAYLOAD_SIZE, "text-single", Kind.NUMBER, List.of(), false));
        add(new Field(ITEM_EXPIRE, "text-single", Kind.SECONDS, List.of(), false));
        for (String var : List.of(PERSIST_ITEMS, DELIVER_PAYLOADS, DELIVER_NOTIFICATIONS, NOTIFY_RETRACT,
                NOTIFY_DELETE, NOTIFY_CONFIG, NOTIFY_SUB, SUBSCRIBE)) {
            add(new Field(var, "boolean", Kind.BOOLEAN, List.of(), false));
        }
        // on_sub_and_presence would need the service to follow its subscribers' presence: not offered.
        choice(SEND_LAST, List.of("never", "on_sub"));
        choice(NOTIFICATION_TYPE, List.of("headline", "normal"));
        choice(ITEM_REPLY, List.of("owner", "publisher"));
        for (String var : List.of(TITLE, DESCRIPTION, TYPE)) {
            add(new Field(var, "text-single", Kind.TEXT, List.of(), false));
        }
        add(new Field(NODE_TYPE, "list-single", Kind.CHOICE, List.of("leaf"), true));
        add(new Field(PRESENCE_BASED, "boolean", Kind.BOOLEAN, List.of(), true));
        add(new Field(PURGE_OFFLINE, "boolean", Kind.BOOLEAN, List.of(), true));
    }

    private static void choice(String var, List<String> choices) {
        add(new Field(var, "list-single", Kind.CHOICE, choices, false));
    }

    private static void add(Field field) {
        FIELDS.put(field.var(), field);
    }

    /** The service's limits, which a node's {@code max_items} and {@code max_payload_size} stay within. */
    record Limits(int maxItems, int maxPayloadBytes) {
    }

    private final Map<String, List<String>> values;

    private NodeSettings(Map<String, List<String>> values) {
        this.values = values;
    }

    /** §8.3: the configuration of a new node, as the default configuration request shows it. */
    static NodeSettings defaults(Limits limits) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put(ACCESS_MODEL, List.of("open"));
        values.put(ROSTER_GROUPS, List.of());
        values.put(PUBLISH_MODEL, List.of("publishers"));
        values.put(MAX_ITEMS, List.of(Integer.toString(Math.min(DEFAULT_MAX_ITEMS, limits.maxItems()))));
        values.put(MAX_PAYLOAD_SIZE, List.of(Integer.toString(limits.maxPayloadBytes())));
        // Items do not expire unless the owner says after how long.
        values.put(ITEM_EXPIRE, List.of(""));
        for (String on : List.of(PERSIST_ITEMS, DELIVER_PAYLOADS, DELIVER_NOTIFICATIONS, NOTIFY_RETRACT,
                NOTIFY_DELETE, SUBSCRIBE)) {
            values.put(on, List.of("1"));
        }
        for (String off : List.of(NOTIFY_CONFIG, NOTIFY_SUB, PRESENCE_BASED, PURGE_OFFLINE)) {
            values.put(off, List.of("0"));
        }
        // §12 (item caching): the last item SHOULD go to a new subscriber, on subscription or approval.
        values.put(SEND_LAST, List.of("on_sub"));
        values.put(NOTIFICATION_TYPE, List.of("headline"));
        values.put(ITEM_REPLY, List.of("owner"));
        values.put(TITLE, List.of(""));
        values.put(DESCRIPTION, List.of(""));
        values.put(TYPE, List.of(""));
        values.put(NODE_TYPE, List.of("leaf"));
        return new NodeSettings(values);
    }

    /**
     * This configuration with the fields of a submitted form applied; {@code FORM_TYPE} is skipped.
     *
     * @throws Refusal {@code not-acceptable} or {@code policy-violation}, as the class says
     */
    NodeSettings with(Map<String, List<String>> submitted, Limits limits) throws Refusal {
        Map<String, List<String>> changed = new LinkedHashMap<>(values);
        for (Map.Entry<String, List<String>> entry : submitted.entrySet()) {
            String var = entry.getKey();
            if (var.equals("FORM_TYPE")) {
                continue;
            }
            Field field = FIELDS.get(var);
            if (field == null) {
                throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "field " + var + " is not supported");
            }
            List<String> given = entry.getValue();
            String value = given.isEmpty() ? "" : given.get(0).trim();
            if (NODE_TYPE.equals(var) && "collection".equals(value)) {
                // XEP-0060 §4.4 and XEP-0248: collection nodes are a feature this service does not offer.
                throw Refusal.unsupported("collections");
            }
            List<String> normal = switch (field.kind()) {
                case BOOLEAN -> List.of(bool(var, value));
                case CHOICE -> {
                    if (!field.choices().contains(value)) {
                        throw invalid(var, value);
                    }
                    yield List.of(value);
                }
                case NUMBER -> List.of(Integer.toString(number(var, value, limits)));
                case SECONDS -> List.of(seconds(value));
                case TEXT -> {
                    if (value.length() > MAX_TEXT) {
                        throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null,
                                var + " is longer than " + MAX_TEXT + " characters");
                    }
                    yield List.of(value);
                }
                case GROUPS -> List.copyOf(new TreeSet<>(given));
            };
            if (field.fixed() && !normal.equals(values.get(var))) {
                throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null,
                        "every node of this service has " + var + " " + values.get(var).get(0));
            }
            changed.put(var, normal);
        }
        return new NodeSettings(changed);
    }

    /**
     * §7.1.5: whether this (existing) node's configuration has every field given as
     * publish-options; a field the service does not know, or a value a field does not take,
     * cannot match.
     */
    boolean satisfies(Map<String, List<String>> preconditions, Limits limits) {
        try {
            return with(preconditions, limits).equals(this);
        } catch (Refusal e) {
            return false;
        }
    }

    String accessModel() {
        return value(ACCESS_MODEL);
    }

    Set<String> rosterGroups() {
        return Set.copyOf(values.get(ROSTER_GROUPS));
    }

    String publishModel() {
        return value(PUBLISH_MODEL);
    }

    int maxItems() {
        return Integer.parseInt(value(MAX_ITEMS));
    }

    int maxPayloadBytes() {
        return Integer.parseInt(value(MAX_PAYLOAD_SIZE));
    }

    /** §16.4.4 {@code pubsub#item_expire}: how long an item is kept after it was published, if not forever. */
    Optional<Duration> itemExpire() {
        String seconds = value(ITEM_EXPIRE);
        return seconds.isEmpty() ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(seconds)));
    }

    boolean persistItems() {
        return flag(PERSIST_ITEMS);
    }

    boolean deliverPayloads() {
        return flag(DELIVER_PAYLOADS);
    }

    boolean deliverNotifications() {
        return flag(DELIVER_NOTIFICATIONS);
    }

    boolean notifyRetract() {
        return flag(NOTIFY_RETRACT);
    }

    boolean notifyDelete() {
        return flag(NOTIFY_DELETE);
    }

    boolean notifyConfig() {
        return flag(NOTIFY_CONFIG);
    }

    boolean notifySub() {
        return flag(NOTIFY_SUB);
    }

    boolean subscribable() {
        return flag(SUBSCRIBE);
    }

    boolean sendLastOnSubscription() {
        return value(SEND_LAST).equals("on_sub");
    }

    String notificationType() {
        return value(NOTIFICATION_TYPE);
    }

    boolean repliesToPublisher() {
        return value(ITEM_REPLY).equals("publisher");
    }

    String title() {
        return value(TITLE);
    }

    String description() {
        return value(DESCRIPTION);
    }

    String payloadType() {
        return value(TYPE);
    }

    /** The node configuration form (§8.2.1) of {@code type} ({@code form}, {@code result}, {@code submit}). */
    Element form(String type) {
        Element x = DocumentHelper.createElement(QName.get("x", Pubsub.DATA)).addAttribute("type", type);
        addField(x, "FORM_TYPE", "hidden", List.of(Pubsub.NODE_CONFIG));
        for (Field field : FIELDS.values()) {
            Element element = addField(x, field.var(), field.formType(), values.get(field.var()));
            if (!type.equals("submit")) {
                field.choices().forEach(choice -> element.addElement(QName.get("option", Pubsub.DATA))
                        .addElement(QName.get("value", Pubsub.DATA)).setText(choice));
            }
        }
        return x;
    }

    /** As the database keeps it: the submitted form. */
    String stored() {
        return form("submit").asXML();
    }

    /**
     * A configuration the database kept: its fields over the defaults (a field added since it was
     * written has its default; one no longer known is dropped, with the limits as they are now).
     */
    static NodeSettings restored(String stored, Limits limits) {
        Map<String, List<String>> fields = Pubsub.fields(StoredXml.parse(stored, "a stored pubsub node configuration"));
        NodeSettings settings = defaults(limits);
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            try {
                settings = settings.with(Map.of(field.getKey(), field.getValue()), limits);
            } catch (Refusal e) {
                // Unknown now, or over a limit lowered since: the default (or the limit) holds.
                if (field.getKey().equals(MAX_ITEMS) || field.getKey().equals(MAX_PAYLOAD_SIZE)) {
                    settings = settings.capped(field.getKey(), limits);
                }
            }
        }
        return settings;
    }

    private NodeSettings capped(String var, Limits limits) {
        Map<String, List<String>> changed = new LinkedHashMap<>(values);
        changed.put(var, List.of(Integer.toString(var.equals(MAX_ITEMS) ? limits.maxItems() : limits.maxPayloadBytes())));
        return new NodeSettings(changed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeSettings that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "NodeSettings" + values;
    }

    private String value(String var) {
        return values.get(var).get(0);
    }

    private boolean flag(String var) {
        return value(var).equals("1");
    }

    private static Element addField(Element x, String var, String type, List<String> values) {
        Element field = x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", var).addAttribute("type", type);
        values.forEach(value -> field.addElement(QName.get("value", Pubsub.DATA)).setText(value));
        return field;
    }

    /** XEP-0004 §3.3 booleans, kept as 1 or 0. */
    private static String bool(String var, String value) throws Refusal {
        return switch (value) {
            case "1", "true" -> "1";
            case "0", "false" -> "0";
            default -> throw invalid(var, value);
        };
    }

    /** {@code max} is the service's limit (§16.4.4); more than the limit is a policy violation. */
    private static int number(String var, String value, Limits limits) throws Refusal {
        int limit = var.equals(MAX_ITEMS) ? limits.maxItems() : limits.maxPayloadBytes();
        if (value.equals("max")) {
            return limit;
        }
        int number;
        try {
            number = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(var, value);
        }
        if (number < 1) {
            throw invalid(var, value);
        }
        if (number > limit) {
            throw Refusal.of(StanzaErrorCondition.POLICY_VIOLATION, null,
                    var + " " + number + " is over this service's limit of " + limit);
        }
        return number;
    }

    /** A number of seconds ({@link Pubsub#itemExpireSeconds}), kept as given; empty or 0 is never (kept empty). */
    private static String seconds(String value) throws Refusal {
        long seconds = Pubsub.itemExpireSeconds(value);
        return seconds == 0 ? "" : Long.toString(seconds);
    }

    private static Refusal invalid(String var, String value) {
        return Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "not a valid " + var + ": " + value);
    }
}
