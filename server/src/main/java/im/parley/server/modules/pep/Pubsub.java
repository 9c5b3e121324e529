package im.parley.server.modules.pep;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.StanzaErrorType;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.Rsm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.Jid;

/**
 * The namespaces of XEP-0060 (§16.2) and its errors with a pubsub-specific condition (§7, §8): for
 * PEP and the publish-subscribe service ({@code modules.pubsub}) alike.
 */
public final class Pubsub {

    public static final String NS = "http://jabber.org/protocol/pubsub";
    public static final String OWNER = NS + "#owner";
    public static final String EVENT = NS + "#event";
    public static final String ERRORS = NS + "#errors";
    public static final String NODE_CONFIG = NS + "#node_config";
    public static final String PUBLISH_OPTIONS = NS + "#publish-options";
    public static final String DATA = "jabber:x:data";

    private Pubsub() {
    }

    /** The constant of {@code type} a form or attribute value names: its name in lower case, with {@code _}. */
    public static <E extends Enum<E>> Optional<E> valueNamed(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** The fields of a submitted data form (XEP-0004 §3.4), in order, each with its values; none if {@code x} is null. */
    public static Map<String, List<String>> fields(Element x) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (x == null) {
            return fields;
        }
        for (Element field : x.elements(QName.get("field", DATA))) {
            List<String> values = new ArrayList<>();
            field.elements(QName.get("value", DATA)).forEach(v -> values.add(v.getTextTrim()));
            fields.put(field.attributeValue("var", ""), values);
        }
        return fields;
    }

    /** §7.1.3.3 and its like in every use case: a request about a node names it ({@code nodeid-required}). */
    public static String requiredNode(String node) throws Refusal {
        if (node == null || node.isEmpty()) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "nodeid-required", null);
        }
        return node;
    }

    /**
     * §8.9.2: the affiliations an owner sets, by bare JID, each read by {@code parse}; a value it
     * does not know is {@code bad-request}, a JID that is none {@code jid-malformed}.
     */
    public static <A> Map<String, A> affiliationChanges(Element verb, Function<String, Optional<A>> parse) throws Refusal {
        Map<String, A> changes = new LinkedHashMap<>();
        for (Element affiliation : verb.elements(QName.get("affiliation", OWNER))) {
            try {
                String jid = Jids.parse(affiliation.attributeValue("jid", "")).asBareJid().toString();
                changes.put(jid, parse.apply(affiliation.attributeValue("affiliation", ""))
                        .orElseThrow(() -> Refusal.of(StanzaErrorCondition.BAD_REQUEST)));
            } catch (JidMalformedException e) {
                throw Refusal.of(StanzaErrorCondition.JID_MALFORMED);
            }
        }
        return changes;
    }

    /** §8.8.2.4: the entries of {@code what} not applied, each as it still is, in a {@code not-acceptable} error. */
    public static Element notApplied(Stanza iq, String node, String what, List<Element> entries) {
        Element request = iq.element().createCopy();
        request.clearContent();
        Element list = request.addElement(QName.get("pubsub", OWNER)).addElement(QName.get(what, OWNER))
                .addAttribute("node", node);
        entries.forEach(list::add);
        return Stanzas.errorReply(request, StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE));
    }

    /** §16.4.4 {@code pubsub#item_expire}: the node configuration field. */
    public static final String ITEM_EXPIRE = "pubsub#item_expire";
    /** The longest {@code pubsub#item_expire}: a hundred years, in seconds. */
    public static final long MAX_EXPIRE_SECONDS = 100L * 366 * 24 * 3600;

    /**
     * §16.4.4 {@code pubsub#item_expire}: after how many seconds an item is deleted, 0 for never
     * (the value empty or {@code 0}); anything but a whole number from 1 to
     * {@link #MAX_EXPIRE_SECONDS} is {@code not-acceptable}.
     */
    public static long itemExpireSeconds(String value) throws Refusal {
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.equals("0")) {
            return 0;
        }
        long seconds;
        try {
            seconds = Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > MAX_EXPIRE_SECONDS) {
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "not a valid " + ITEM_EXPIRE + ": " + value);
        }
        return seconds;
    }

    /**
     * The most items one page of an items request with Result Set Management holds (§6.5.4 with
     * XEP-0059): a larger {@code <max/>} is capped, a {@code <set/>} without one gets this many.
     */
    public static final int MAX_PAGE = 100;

    /**
     * §6.5: what an items request asks for: the node, the newest {@code max} items (§6.5.7; -1:
     * all) or those of {@code ids} (§6.5.8; empty: any), and a page of them if the request
     * carries an RSM {@code <set/>} after the {@code <items/>} (§6.5.4, XEP-0059; null: none).
     */
    public record ItemsRequest(String node, int max, Set<String> ids, Rsm.Request page) {

        /**
         * The request's {@code <items/>} element read, with the RSM set of its {@code <pubsub/>};
         * a {@code max_items}, RSM max or index that is no number is {@code bad-request}.
         */
        public static ItemsRequest of(Element items) throws Refusal {
            String node = requiredNode(items.attributeValue("node"));
            int max = -1;
            if (items.attributeValue("max_items") != null) {
                try {
                    max = Math.max(0, Integer.parseInt(items.attributeValue("max_items")));
                } catch (NumberFormatException e) {
                    throw Refusal.of(StanzaErrorCondition.BAD_REQUEST);
                }
            }
            Set<String> ids = new HashSet<>();
            items.elements(QName.get("item", NS)).forEach(i -> ids.add(i.attributeValue("id", "")));
            Rsm.Request page;
            try {
                page = items.getParent() == null ? null : Rsm.Request.of(items.getParent());
            } catch (Rsm.Invalid e) {
                throw Refusal.of(e);
            }
            return new ItemsRequest(node, max, Set.copyOf(ids), page);
        }
    }

    /** Where a stored item stands in its node: its row's sequence number (publication order) and its id. */
    public record ItemPosition(long seq, String id) {
    }

    /** Reads the items of a node whose sequence numbers are from {@code first} to {@code last}, oldest first. */
    @FunctionalInterface
    public interface ItemRange<T> {
        List<T> read(long first, long last);
    }

    /** A page of a node's items and where it stands in them (XEP-0059 §2). */
    public record ItemPage<T>(List<T> items, Rsm.Page page) {
    }

    /**
     * §6.5.4 with XEP-0059: the page {@code request} asks of a node's items, whose positions are
     * {@code positions} (oldest first), the newest {@code max} of them if not negative (§6.5.7),
     * at most {@link #MAX_PAGE}; its items read with {@code range}. The result set is in
     * publication order, oldest first, as §6.5.3 returns all items and §6.5.4's example indexes
     * them: an empty {@code <before/>} asks for the newest page (XEP-0059 §2.5).
     */
    public static <T> ItemPage<T> page(List<ItemPosition> positions, int max, Rsm.Request request, ItemRange<T> range)
            throws Refusal {
        List<ItemPosition> set = max < 0 || max >= positions.size() ? positions
                : positions.subList(positions.size() - max, positions.size());
        Rsm.Page page;
        try {
            page = Rsm.page(set.stream().map(ItemPosition::id).toList(), request, MAX_PAGE);
        } catch (Rsm.Invalid e) {
            throw Refusal.of(e);
        }
        List<T> items = page.isEmpty() ? List.of()
                : range.read(set.get(page.from()).seq(), set.get(page.to() - 1).seq());
        return new ItemPage<>(items, page);
    }

    /** §6.1.1, §6.2.1: the subscribed JID, which the request must give ({@code jid-required}, as §6.3.4.3). */
    public static Jid subscriberJid(Element request) throws Refusal {
        String jid = request.attributeValue("jid");
        if (jid == null || jid.isEmpty()) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "jid-required", null);
        }
        try {
            return Jids.parse(jid);
        } catch (JidMalformedException e) {
            throw Refusal.of(StanzaErrorCondition.JID_MALFORMED);
        }
    }

    /**
     * §8.8.2: the {@code <subscription/>} entries of an owner's change, in the owner namespace as
     * the XEP writes them or in the plain pubsub namespace, as Smack 4.4's
     * {@code Node.modifySubscriptionsAsOwner} sends them.
     */
    public static List<Element> subscriptionChanges(Element verb) {
        return verb.elements().stream().filter(e -> e.getName().equals("subscription")
                && (OWNER.equals(e.getNamespaceURI()) || NS.equals(e.getNamespaceURI()))).toList();
    }

    /** An empty {@code <event/>} (§7.1.2 and the other notifications). */
    public static Element event() {
        return DocumentHelper.createElement(QName.get("event", EVENT));
    }

    /** §7.2.2: an item was retracted. */
    public static Element retracted(String node, String id) {
        Element event = event();
        event.addElement(QName.get("items", EVENT)).addAttribute("node", node)
                .addElement(QName.get("retract", EVENT)).addAttribute("id", id);
        return event;
    }

    /** §8.4.2 delete and §8.5.2 purge: {@code <delete/>} or {@code <purge/>}. */
    public static Element nodeEvent(String what, String node) {
        Element event = event();
        event.addElement(QName.get(what, EVENT)).addAttribute("node", node);
        return event;
    }

    /** A pubsub request refused: the stanza error and the pubsub condition that goes with it, if any. */
    public static final class Refusal extends Exception {
        /** The stanza error condition (RFC 6120 §8.3.3). */
        public final StanzaErrorCondition condition;
        final String pubsubCondition;
        final String feature;
        /** The error's type: the condition's usual one unless the XEP's example gives another. */
        final StanzaErrorType type;

        private Refusal(StanzaErrorCondition condition, StanzaErrorType type, String pubsubCondition, String feature,
                        String text) {
            super(text, null, false, false);
            this.condition = condition;
            this.type = type;
            this.pubsubCondition = pubsubCondition;
            this.feature = feature;
        }

        private Refusal(StanzaErrorCondition condition, String pubsubCondition, String feature, String text) {
            this(condition, condition.defaultType(), pubsubCondition, feature, text);
        }

        public static Refusal of(StanzaErrorCondition condition, String pubsubCondition, String text) {
            return new Refusal(condition, pubsubCondition, null, text);
        }

        public static Refusal of(StanzaErrorCondition condition) {
            return new Refusal(condition, null, null, null);
        }

        /** A result set request refused (XEP-0059). */
        public static Refusal of(Rsm.Invalid invalid) {
            return new Refusal(invalid.condition, null, null, invalid.getMessage());
        }

        /** The same refusal with an error of {@code type}. */
        public Refusal ofType(StanzaErrorType type) {
            return new Refusal(condition, type, pubsubCondition, feature, getMessage());
        }

        /** §4.4 and every "not supported" case: {@code feature-not-implemented} naming the feature. */
        public static Refusal unsupported(String feature) {
            return new Refusal(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, "unsupported", feature, null);
        }

        /** The error reply to {@code iq}. */
        public Element replyTo(Stanza iq) {
            Element reply = Stanzas.errorReply(iq.element(), new StanzaError(type, condition, getMessage()));
            if (pubsubCondition != null) {
                Element specific = reply.element("error").addElement(QName.get(pubsubCondition, ERRORS));
                if (feature != null) {
                    specific.addAttribute("feature", feature);
                }
            }
            return reply;
        }
    }
}
