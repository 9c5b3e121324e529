package im.parley.server.modules.pubsub;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.server.modules.pep.SubscriptionOptions;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Subscription;
import im.parley.server.modules.pubsub.PubsubService.Node;
import java.util.Map;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;

/**
 * What the publish-subscribe service sends: event notifications to a node's subscribers whom its
 * access model still admits (XEP-0060 §7.1.2 and the other events), and single messages from the
 * service's domain (an event to one entity, an approval form, §8.6). Blocking (it reads the
 * subscriptions and the owners' rosters).
 */
final class ServiceMessages {

    private final DomainBareJid domain;
    private final String service;
    private final JdbcPubsubStore store;
    private final NodeAccess access;
    private final Consumer<Stanza> send;

    ServiceMessages(DomainBareJid domain, JdbcPubsubStore store, NodeAccess access, Consumer<Stanza> send) {
        this.domain = domain;
        this.service = domain.toString();
        this.store = store;
        this.access = access;
        this.send = send;
    }

    /** §8.6: the form that asks {@code owner} to approve {@code subscriber}'s subscription to {@code node}. */
    void askApproval(String owner, String node, String subscriber) {
        Element message = Events.message(domain, owner, "normal");
        message.add(Events.approvalForm(node, subscriber));
        send(message, owner);
    }

    /**
     * Sends an event to every subscriber (subscribed) the node's access model still admits, but
     * those whose subscription options turned delivery off (§6.3, {@code pubsub#deliver}).
     */
    void notifySubscribers(Node node, Element event) {
        if (!node.settings().deliverNotifications()) {
            return;
        }
        Map<String, Affiliation> affiliations = store.affiliations(service, node.name());
        NodeAccess broadcast = access.readingRostersOnce();
        for (Subscription subscription : store.subscriptions(service, node.name())) {
            if (subscription.state() != SubscriptionState.SUBSCRIBED || !subscription.options().deliver()) {
                continue;
            }
            BareJid bare;
            try {
                bare = Jids.parse(subscription.jid()).asBareJid();
            } catch (JidMalformedException e) {
                continue;  // not stored: subscribe parsed it
            }
            if (broadcast.refusesItems(bare, node.settings(), affiliations, true).isEmpty()) {
                sendEvent(node, subscription.jid(), event.createCopy(), subscription.options());
            }
        }
    }

    void sendEvent(Node node, String to, Element event) {
        sendEvent(node, to, event, SubscriptionOptions.DEFAULT);
    }

    /** An event to one subscriber, with a body if its subscription's options ask for one (§6.3). */
    void sendEvent(Node node, String to, Element event, SubscriptionOptions options) {
        Element message = Events.message(domain, to, node.settings().notificationType());
        message.add(event);
        send(options.withBody(message), to);
    }

    void send(Element message, String to) {
        try {
            send.accept(new Stanza(message, domain, Jids.parse(to)));
        } catch (JidMalformedException e) {
            // not stored: every JID here was parsed before
        }
    }
}
