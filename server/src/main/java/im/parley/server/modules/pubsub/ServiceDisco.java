package im.parley.server.modules.pubsub;

import static im.parley.server.module.IqReplies.payload;
import static im.parley.server.module.IqReplies.result;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.adhoc.AdHocModule;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.pep.Pubsub;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Item;
import im.parley.server.modules.pubsub.PubsubService.Node;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Service discovery of the publish-subscribe service (XEP-0060 §5.1–§5.5): its identity and
 * features, its nodes, a node's identity and meta-data, a node's items. Blocking (storage); called
 * in the service's turn.
 */
final class ServiceDisco {

    private static final String INFO = ServerInfo.DISCO_INFO;
    private static final String ITEMS = ServerInfo.DISCO_ITEMS;

    /** The XEP-0060 features the service offers (§10), each {@code pubsub#<feature>}. */
    static final List<String> FEATURES = List.of("access-authorize", "access-open", "access-presence", "access-roster",
            "access-whitelist", "auto-create", "config-node", "config-node-max", "create-and-configure", "create-nodes",
            "delete-items", "delete-nodes", "get-pending", "instant-nodes", "item-ids", "last-published", "manage-subscriptions",
            "member-affiliation", "meta-data", "modify-affiliations", "outcast-affiliation", "persistent-items",
            "publish", "publish-only-affiliation", "publish-options", "publisher-affiliation", "purge-nodes",
            "retract-items", "retrieve-affiliations", "retrieve-default", "retrieve-default-sub", "retrieve-items",
            "retrieve-subscriptions", "rsm", "subscribe", "subscription-notifications", "subscription-options");

    private final PubsubService service;
    /** Announced as {@code subscription-notifications} only when the service sends them. */
    private final boolean subscriptionNotifications;

    ServiceDisco(PubsubService service, boolean subscriptionNotifications) {
        this.service = service;
        this.subscriptionNotifications = subscriptionNotifications;
    }

    /**
     * §5.1 the service's identity and features; §5.3, §5.4 a node's, with its meta-data, to anyone
     * but its outcasts (for whom it is not found).
     */
    Element info(Stanza iq) throws Refusal {
        if (!"get".equals(iq.type())) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST);
        }
        String name = payload(iq).attributeValue("node");
        Element query = DocumentHelper.createElement(QName.get("query", INFO));
        if (name == null) {
            query.addElement(QName.get("identity", INFO)).addAttribute("category", "pubsub")
                    .addAttribute("type", "service").addAttribute("name", "Publish-Subscribe");
            for (String feature : List.of(INFO, ITEMS, AdHocModule.NAMESPACE, Pubsub.NS)) {
                query.addElement(QName.get("feature", INFO)).addAttribute("var", feature);
            }
            FEATURES.stream().filter(feature -> subscriptionNotifications || !feature.equals("subscription-notifications"))
                    .forEach(feature -> query.addElement(QName.get("feature", INFO))
                            .addAttribute("var", Pubsub.NS + "#" + feature));
            return result(iq, query);
        }
        Node node = service.existing(name);
        if (iq.from() == null || !service.mayDiscover(iq.from().asBareJid(), name)) {
            throw Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        query.addAttribute("node", name);
        query.addElement(QName.get("identity", INFO)).addAttribute("category", "pubsub").addAttribute("type", "leaf");
        query.addElement(QName.get("feature", INFO)).addAttribute("var", Pubsub.NS);
        query.add(metaData(node, service.owners(name)));
        return result(iq, query);
    }

    /** §5.2 the nodes the requester may discover; §5.5 a node's items, by id, to those who may read them. */
    Element items(Stanza iq) throws Refusal {
        if (!"get".equals(iq.type())) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST);
        }
        String name = payload(iq).attributeValue("node");
        Element query = DocumentHelper.createElement(QName.get("query", ITEMS));
        String domain = service.domain().toString();
        if (name == null) {
            for (Node node : service.discoverableNodes(iq.from().asBareJid())) {
                Element item = query.addElement(QName.get("item", ITEMS)).addAttribute("jid", domain)
                        .addAttribute("node", node.name());
                if (!node.settings().title().isEmpty()) {
                    item.addAttribute("name", node.settings().title());
                }
            }
            return result(iq, query);
        }
        Node node = visible(iq, name);
        query.addAttribute("node", name);
        if (node.settings().persistItems()) {
            for (Item item : service.items(iq.from(), node, -1, Set.of())) {
                query.addElement(QName.get("item", ITEMS)).addAttribute("jid", domain).addAttribute("name", item.id());
            }
        }
        return result(iq, query);
    }

    private Node visible(Stanza iq, String name) throws Refusal {
        Node node = service.existing(name);
        if (iq.from() == null || !service.mayView(iq.from().asBareJid(), node)) {
            throw Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        return node;
    }

    /** §5.4: the node's meta-data, as a {@code pubsub#meta-data} form. */
    private static Element metaData(Node node, List<String> owners) {
        NodeSettings settings = node.settings();
        Element x = DocumentHelper.createElement(QName.get("x", Pubsub.DATA)).addAttribute("type", "result");
        metaField(x, "FORM_TYPE", "hidden", List.of(Pubsub.NS + "#meta-data"));
        metaField(x, "pubsub#creation_date", "text-single",
                List.of(DateTimeFormatter.ISO_INSTANT.format(node.created().truncatedTo(ChronoUnit.SECONDS))));
        metaField(x, "pubsub#title", "text-single", List.of(settings.title()));
        metaField(x, "pubsub#description", "text-single", List.of(settings.description()));
        metaField(x, "pubsub#type", "text-single", List.of(settings.payloadType()));
        metaField(x, "pubsub#owner", "jid-multi", owners);
        metaField(x, "pubsub#access_model", "list-single", List.of(settings.accessModel()));
        metaField(x, "pubsub#publish_model", "list-single", List.of(settings.publishModel()));
        return x;
    }

    private static void metaField(Element x, String var, String type, List<String> values) {
        Element field = x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", var).addAttribute("type", type);
        values.forEach(value -> field.addElement(QName.get("value", Pubsub.DATA)).setText(value));
    }
}
