package im.parley.server.modules.pubsub;

import im.parley.core.stream.Namespaces;
import im.parley.server.modules.pep.Pubsub;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Item;
import im.parley.server.storage.StoredXml;
import java.util.UUID;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;

/**
 * The event notifications of the service (XEP-0060 §7.1.2, §7.2.2, §8.2.5.3, §8.4.2, §8.5.2, and
 * the notification of subscription state changes) and the subscription approval form (§8.6), as
 * the elements the messages carry.
 */
final class Events {

    /** The form an owner answers to approve a subscription (§8.6). */
    static final String SUBSCRIBE_AUTHORIZATION = Pubsub.NS + "#subscribe_authorization";

    private Events() {
    }

    /** A message from the service to {@code to}, of {@code type} ({@code pubsub#notification_type}). */
    static Element message(DomainBareJid service, String to, String type) {
        return DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT))
                .addAttribute("from", service.toString()).addAttribute("to", to).addAttribute("type", type)
                .addAttribute("id", UUID.randomUUID().toString());
    }

    /**
     * §7.1.2: an item published, with its payload if the node delivers payloads (§7.1.2.1) and its
     * publisher if the node names it ({@code pubsub#itemreply}); {@code item} null: a notification
     * without item, of a transient notification-only node.
     */
    static Element published(String node, Item item, NodeSettings settings) {
        Element event = Pubsub.event();
        Element items = event.addElement(QName.get("items", Pubsub.EVENT)).addAttribute("node", node);
        if (item == null) {
            return event;
        }
        Element element = items.addElement(QName.get("item", Pubsub.EVENT)).addAttribute("id", item.id());
        if (settings.repliesToPublisher()) {
            element.addAttribute("publisher", item.publisher());
        }
        if (settings.deliverPayloads() && !item.payloadXml().isEmpty()) {
            element.add(payload(item));
        }
        return event;
    }

    /** §8.2.5.3: the configuration changed, with it as a form if the node delivers payloads. */
    static Element configured(String node, Element form) {
        Element event = Pubsub.event();
        Element configuration = event.addElement(QName.get("configuration", Pubsub.EVENT)).addAttribute("node", node);
        if (form != null) {
            configuration.add(form);
        }
        return event;
    }

    /** §8.4.2: the node deleted, with the node or URI its subscribers should go to, if any. */
    static Element deleted(String node, String redirect) {
        Element event = Pubsub.event();
        Element delete = event.addElement(QName.get("delete", Pubsub.EVENT)).addAttribute("node", node);
        if (redirect != null) {
            delete.addElement(QName.get("redirect", Pubsub.EVENT)).addAttribute("uri", redirect);
        }
        return event;
    }

    /** A subscription's new state, for its subscriber (§8.6, §8.8.4) or, with {@code notify_sub}, the owners. */
    static Element subscription(String node, String jid, String state) {
        Element event = Pubsub.event();
        event.addElement(QName.get("subscription", Pubsub.EVENT)).addAttribute("node", node).addAttribute("jid", jid)
                .addAttribute("subscription", state);
        return event;
    }

    /** §8.6: the form that asks an owner to approve {@code subscriber}'s subscription. */
    static Element approvalForm(String node, String subscriber) {
        Element x = DocumentHelper.createElement(QName.get("x", Pubsub.DATA)).addAttribute("type", "form");
        x.addElement(QName.get("title", Pubsub.DATA)).setText("PubSub subscriber request");
        x.addElement(QName.get("instructions", Pubsub.DATA)).setText("To approve this entity's subscription request, "
                + "set Allow to true and submit the form. To deny it, set Allow to false, or cancel.");
        field(x, "FORM_TYPE", "hidden", null, SUBSCRIBE_AUTHORIZATION);
        field(x, "pubsub#node", "text-single", "Node ID", node);
        field(x, "pubsub#subscriber_jid", "jid-single", "Subscriber Address", subscriber);
        field(x, "pubsub#allow", "boolean", "Allow this JID to subscribe to this pubsub node?", "false");
        return x;
    }

    /** The item's payload as an element, or nothing if it has none. */
    static Element payload(Item item) {
        return StoredXml.parse(item.payloadXml(), "a stored pubsub payload");
    }

    private static void field(Element x, String var, String type, String label, String value) {
        Element field = x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", var).addAttribute("type", type);
        if (label != null) {
            field.addAttribute("label", label);
        }
        field.addElement(QName.get("value", Pubsub.DATA)).setText(value);
    }
}
