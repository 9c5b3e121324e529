package im.parley.server.modules.pep;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.server.module.ModuleContext;
import im.parley.server.modules.pep.NodeConfig.NotificationType;
import im.parley.server.storage.StoredXml;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Event notifications (XEP-0060 §7.1.2, §7.2.2, §8.4.2, §8.5.2) from the owner's bare JID
 * (XEP-0163 §4.3.1), as {@code headline} messages, to every resource present at the account
 * that wants the node ({@code +notify}) and to every explicit subscriber, if it may see the node
 * (its access model) and is not blocked (XEP-0163 §4.3.3 rule 3). Blocking: reads the roster and
 * the block list.
 */
final class Notifications {

    private static final String DELAY = "urn:xmpp:delay";
    /** Extended Stanza Addressing (XEP-0033). */
    private static final String ADDRESS = "http://jabber.org/protocol/address";

    private final ModuleContext context;
    private final InterestedResources interests;

    Notifications(ModuleContext context, InterestedResources interests) {
        this.context = context;
        this.interests = interests;
    }

    /**
     * Sends what {@code event} makes for each resource that gets notifications of {@code node},
     * and for each explicit subscriber (XEP-0060 §6.1) the node's access model still admits and
     * whose options let them through ({@code pubsub#deliver}, §6.3): a full JID gets one at that
     * JID; a bare JID gets them at its resources that want the node, or one at the bare JID if
     * none does (XEP-0163 §4.3.2); nobody gets one twice. A notification to a JID whose
     * subscription (its own, or its bare JID's) asks for a body carries one
     * ({@code pubsub#include_body}). A notification to one who shares the owner's presence names
     * the {@code publisher} resource, if any, as XEP-0033 {@code replyto} (XEP-0163 §4.3.1 rule
     * 3); to others it never does.
     */
    void broadcast(EntityBareJid owner, String node, NodeConfig config, Map<String, Affiliation> affiliations,
                   Map<String, SubscriptionOptions> subscribers, Function<Jid, Element> event, Jid publisher) {
        if (!config.deliverNotifications()) {
            return;
        }
        Set<Jid> interested = interests.interestedIn(owner, node);
        Map<Jid, SubscriptionOptions> recipients = new LinkedHashMap<>();
        interested.forEach(resource -> recipients.put(resource, SubscriptionOptions.DEFAULT));
        Map<Jid, SubscriptionOptions> bareOptions = new HashMap<>();
        for (Map.Entry<String, SubscriptionOptions> subscriber : subscribers.entrySet()) {
            Jid jid;
            try {
                jid = Jids.parse(subscriber.getKey());
            } catch (JidMalformedException e) {
                continue;  // not stored: subscribe parsed it
            }
            SubscriptionOptions options = subscriber.getValue();
            if (!jid.hasResource() && options.deliver()) {
                bareOptions.put(jid, options);
            }
            if (options.deliver() && (jid.hasResource()
                    || interested.stream().noneMatch(resource -> resource.asBareJid().equals(jid)))) {
                recipients.put(jid, options);
            }
        }
        if (recipients.isEmpty()) {
            return;
        }
        NodeAccess access = new NodeAccess(owner, context.storage().rosters().roster(owner));
        Set<Jid> blocked = context.storage().blockLists().load(owner);
        recipients.forEach((recipient, options) -> {
            if (!isBlocked(blocked, recipient) && access.allows(recipient.asBareJid(), config, affiliations)) {
                Element message = message(owner, recipient, event.apply(recipient), null, config.notificationType());
                if (publisher != null && publisher.hasResource() && access.sharesPresence(recipient.asBareJid())) {
                    message.addElement(QName.get("addresses", ADDRESS)).addElement(QName.get("address", ADDRESS))
                            .addAttribute("type", "replyto").addAttribute("jid", publisher.toString());
                }
                SubscriptionOptions chosen = options.includeBody() ? options
                        : bareOptions.getOrDefault(recipient.asBareJid(), options);
                context.send(new Stanza(chosen.withBody(message), owner, recipient));
            }
        });
    }

    /** Whether the owner blocks the resource, its account or its domain (XEP-0191 §3.3). */
    static boolean isBlocked(Set<Jid> blocked, Jid resource) {
        return blocked.contains(resource) || blocked.contains(resource.asBareJid())
                || blocked.contains(resource.asDomainBareJid());
    }

    /**
     * Sends one notification, as a message of {@code type}; one that carries an item published
     * earlier (the last item for a newly available resource, XEP-0163 §4.3.4) says when, with a
     * delay (XEP-0203).
     */
    void send(EntityBareJid owner, Jid to, Element event, Instant publishedEarlier, NotificationType type) {
        send(owner, to, event, publishedEarlier, type, SubscriptionOptions.DEFAULT);
    }

    /** As {@link #send(EntityBareJid, Jid, Element, Instant, NotificationType)}, with a body if {@code options} ask for one. */
    void send(EntityBareJid owner, Jid to, Element event, Instant publishedEarlier, NotificationType type,
              SubscriptionOptions options) {
        context.send(new Stanza(options.withBody(message(owner, to, event, publishedEarlier, type)), owner, to));
    }

    private static Element message(EntityBareJid owner, Jid to, Element event, Instant publishedEarlier,
                                   NotificationType type) {
        Element message = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT))
                .addAttribute("from", owner.toString()).addAttribute("to", to.toString())
                .addAttribute("type", type.value()).addAttribute("id", UUID.randomUUID().toString());
        message.add(event);
        if (publishedEarlier != null) {
            message.addElement(QName.get("delay", DELAY)).addAttribute("stamp",
                    DateTimeFormatter.ISO_INSTANT.format(publishedEarlier.truncatedTo(ChronoUnit.MILLIS)));
        }
        return message;
    }

    /** §7.1.2: one published item, with its payload if the node delivers payloads (§7.1.2.1). */
    static Element published(String node, PepItem item, boolean withPayload) {
        Element event = Pubsub.event();
        Element element = event.addElement(QName.get("items", Pubsub.EVENT)).addAttribute("node", node)
                .addElement(QName.get("item", Pubsub.EVENT)).addAttribute("id", item.id());
        if (withPayload) {
            element.add(payload(item));
        }
        return event;
    }

    /**
     * §8.2.5.3: the node's configuration changed: {@code <configuration/>}, with the configuration
     * as a form if the node delivers payloads.
     */
    static Element configured(String node, NodeConfig config) {
        Element event = Pubsub.event();
        Element configuration = event.addElement(QName.get("configuration", Pubsub.EVENT)).addAttribute("node", node);
        if (config.deliverPayloads()) {
            configuration.add(config.form("result"));
        }
        return event;
    }

    /** The item's payload, parsed from storage. */
    static Element payload(PepItem item) {
        return StoredXml.parse(item.payloadXml(), "a stored PEP payload");
    }
}
