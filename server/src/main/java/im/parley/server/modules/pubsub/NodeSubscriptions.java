package im.parley.server.modules.pubsub;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.modules.pep.SubscriptionOptions;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Item;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Subscription;
import im.parley.server.modules.pubsub.PubsubService.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dom4j.Element;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;

/**
 * The subscriptions to the nodes of the publish-subscribe service: subscribing and unsubscribing
 * (XEP-0060 §6.1, §6.2), one's own subscriptions (§5.6), the owners' approvals (§8.6, §8.7) and
 * management (§8.8), and what follows a new subscription (the owners told with {@code notify_sub},
 * the last item with {@code on_sub}). Blocking (storage); called in the service's turn.
 */
final class NodeSubscriptions {

    private final String service;
    private final PubsubService nodes;
    private final JdbcPubsubStore store;
    private final NodeAccess access;
    private final ServiceMessages messages;
    private final int maxSubscriptions;
    /** {@code pubsub.subscription_notifications}: see {@link PubsubService}. */
    private final boolean tellSubscribers;

    NodeSubscriptions(PubsubService nodes, JdbcPubsubStore store, NodeAccess access, ServiceMessages messages,
                      int maxSubscriptions, boolean tellSubscribers) {
        this.service = nodes.domain().toString();
        this.nodes = nodes;
        this.store = store;
        this.access = access;
        this.messages = messages;
        this.maxSubscriptions = maxSubscriptions;
        this.tellSubscribers = tellSubscribers;
    }

    /**
     * §6.1: subscribes {@code jid} (whose bare JID must be the requester's, §6.1.3.1): at once, or
     * pending until an owner approves (§6.1.2.2, §8.6), with {@code options} if the request gave
     * them (§6.3.7; null: the defaults, or the options an existing subscription has). Returns the
     * subscription; one that exists is given back as it is (§6.1.6 without multiple
     * subscriptions), with the options given, and one still pending is refused (§6.1.3.7).
     */
    Subscription subscribe(Jid requester, String node, Jid jid, SubscriptionOptions options) throws Refusal {
        if (!jid.asBareJid().equals(requester.asBareJid())) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "invalid-jid", null);
        }
        Node existing = nodes.existing(node);
        if (!existing.settings().subscribable()) {
            // §6.1.3.9: the node takes no subscriptions.
            throw Refusal.unsupported("subscribe");
        }
        Map<String, Affiliation> affiliations = store.affiliations(service, node);
        Optional<Subscription> current = store.subscription(service, node, jid.toString());
        if (current.isPresent() && current.get().state() == SubscriptionState.PENDING) {
            throw Refusal.of(StanzaErrorCondition.NOT_AUTHORIZED, "pending-subscription", null);
        }
        NodeAccess.Subscribing subscribing = access.subscribing(requester.asBareJid(), existing.settings(), affiliations);
        if (current.isPresent()) {
            if (options == null || options.equals(current.get().options())) {
                return current.get();
            }
            store.subscribe(service, node, jid.toString(), SubscriptionState.SUBSCRIBED, options, Integer.MAX_VALUE);
            return new Subscription(node, jid.toString(), SubscriptionState.SUBSCRIBED, options);
        }
        SubscriptionState state = subscribing == NodeAccess.Subscribing.SUBSCRIBED ? SubscriptionState.SUBSCRIBED
                : SubscriptionState.PENDING;
        SubscriptionOptions given = options == null ? SubscriptionOptions.DEFAULT : options;
        if (!store.subscribe(service, node, jid.toString(), state, given, maxSubscriptions)) {
            throw Refusal.of(StanzaErrorCondition.POLICY_VIOLATION, "too-many-subscriptions", "a node takes "
                    + maxSubscriptions + " subscriptions here (pubsub.max_subscriptions)");
        }
        if (state == SubscriptionState.PENDING) {
            askOwners(node, affiliations, jid);
        } else {
            subscribed(existing, affiliations, jid, given);
        }
        return new Subscription(node, jid.toString(), state, given);
    }

    /**
     * §6.3.2: the options of {@code jid}'s subscription to a node, for the requester, whose bare
     * JID must be the subscriber's (§6.3.4.1); {@code not-subscribed} without one (§6.3.4.2).
     */
    SubscriptionOptions options(Jid requester, String node, Jid jid) throws Refusal {
        return ownSubscription(requester, node, jid).options();
    }

    /** §6.3.5: the options of {@code jid}'s subscription changed by a submitted form ({@link SubscriptionOptions#with}). */
    void configure(Jid requester, String node, Jid jid, Element form) throws Refusal {
        Subscription subscription = ownSubscription(requester, node, jid);
        SubscriptionOptions changed = subscription.options().with(form);
        if (!changed.equals(subscription.options())) {
            store.subscribe(service, node, jid.toString(), subscription.state(), changed, Integer.MAX_VALUE);
        }
    }

    private Subscription ownSubscription(Jid requester, String node, Jid jid) throws Refusal {
        if (!jid.asBareJid().equals(requester.asBareJid())) {
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        nodes.existing(node);
        return store.subscription(service, node, jid.toString()).orElseThrow(
                () -> Refusal.of(StanzaErrorCondition.UNEXPECTED_REQUEST, "not-subscribed", null));
    }

    /**
     * What follows a new subscription: its owners told if the node says so; the last item if it
     * sends it (§6.1.7) and the subscription's options let notifications through (§6.3).
     */
    private void subscribed(Node node, Map<String, Affiliation> affiliations, Jid jid, SubscriptionOptions options) {
        NodeSettings settings = node.settings();
        if (settings.notifySub()) {
            PubsubService.owners(affiliations).forEach(owner -> messages.sendEvent(node, owner,
                    Events.subscription(node.name(), jid.toString(), SubscriptionState.SUBSCRIBED.value())));
        }
        if (settings.sendLastOnSubscription() && settings.persistItems() && settings.deliverNotifications()
                && options.deliver()) {
            // An expired item is no last item to send (§16.4.4 item_expire).
            nodes.expire(node);
            List<Item> last = store.items(service, node.name(), 1);
            if (!last.isEmpty()) {
                messages.sendEvent(node, jid.toString(), Events.published(node.name(), last.get(0), settings), options);
            }
        }
    }

    /** §8.6: a form to every owner, asking it to approve the subscription. */
    private void askOwners(String node, Map<String, Affiliation> affiliations, Jid jid) {
        for (String owner : PubsubService.owners(affiliations)) {
            messages.askApproval(owner, node, jid.toString());
        }
    }

    /** §8.7: the nodes {@code requester} owns, by name. */
    List<String> ownedNodes(BareJid requester) {
        return store.affiliationsOf(service, requester.toString()).entrySet().stream()
                .filter(e -> e.getValue() == Affiliation.OWNER).map(Map.Entry::getKey).toList();
    }

    /** §8.7.4: an approval form (§8.6) to {@code requester}, an owner, for each pending subscription of the node. */
    int askAgain(Jid requester, String node) throws Refusal {
        nodes.owned(requester, node);
        List<Subscription> pending = store.subscriptions(service, node).stream()
                .filter(s -> s.state() == SubscriptionState.PENDING).toList();
        pending.forEach(subscription -> messages.askApproval(requester.toString(), node, subscription.jid()));
        return pending.size();
    }

    /**
     * §8.6: an owner's answer to an approval form: the subscription becomes subscribed, or is
     * removed (a cancelled form changes nothing: the requests handler does not call this).
     */
    void decide(Jid requester, String node, Jid subscriber, boolean allow) throws Refusal {
        Node existing = nodes.owned(requester, node);
        if (store.subscription(service, node, subscriber.toString()).filter(s -> s.state() == SubscriptionState.PENDING)
                .isEmpty()) {
            throw Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND, null, "no pending subscription of " + subscriber);
        }
        changeSubscription(existing, subscriber.toString(), allow ? SubscriptionState.SUBSCRIBED : null);
    }

    /** §6.2: unsubscribes {@code jid}, whose bare JID must be the requester's (§6.2.3.3). */
    void unsubscribe(Jid requester, String node, Jid jid) throws Refusal {
        if (!jid.asBareJid().equals(requester.asBareJid())) {
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        nodes.existing(node);
        if (store.subscription(service, node, jid.toString()).isEmpty()) {
            // §6.2.3.2: no such subscriber.
            throw Refusal.of(StanzaErrorCondition.UNEXPECTED_REQUEST, "not-subscribed", null);
        }
        store.subscribe(service, node, jid.toString(), null, maxSubscriptions);
    }

    /** §5.6: the requester's subscriptions (its bare and full JIDs), of one node if named. */
    List<Subscription> subscriptionsOf(BareJid requester, String node) throws Refusal {
        if (node != null) {
            nodes.existing(node);
        }
        return store.subscriptionsOf(service, requester.toString()).stream()
                .filter(s -> node == null || s.node().equals(node)).toList();
    }

    /** §8.8.1: the subscriptions to a node (subscribed; pending ones are the owners' to approve, §8.7). */
    List<Subscription> subscriptions(Jid requester, String node) throws Refusal {
        nodes.owned(requester, node);
        return store.subscriptions(service, node).stream()
                .filter(s -> s.state() == SubscriptionState.SUBSCRIBED).toList();
    }

    /**
     * §8.8.2: changes subscriptions ({@code none} removes one); returns the entries not applied
     * (§8.8.2.4: not a JID, or a state the service does not set), each with the state it still has.
     */
    List<Subscription> changeSubscriptions(Jid requester, String node, Map<String, String> changes) throws Refusal {
        Node existing = nodes.owned(requester, node);
        List<Subscription> unchanged = new ArrayList<>();
        Map<String, SubscriptionState> current = new LinkedHashMap<>();
        store.subscriptions(service, node).forEach(s -> current.put(s.jid(), s.state()));
        for (Map.Entry<String, String> change : changes.entrySet()) {
            String jid;
            try {
                jid = Jids.parse(change.getKey()).toString();
            } catch (JidMalformedException e) {
                unchanged.add(new Subscription(node, change.getKey(), null));
                continue;
            }
            Optional<SubscriptionState> state = SubscriptionState.of(change.getValue());
            if (!change.getValue().equals("none") && state.isEmpty()) {
                unchanged.add(new Subscription(node, jid, current.get(jid)));
                continue;
            }
            if (!current.containsKey(jid) && state.isEmpty()) {
                continue;  // none, and none it is
            }
            changeSubscription(existing, jid, state.orElse(null));
        }
        return unchanged;
    }

    /**
     * Sets a subscription's state (null: none); tells the subscriber if the service does
     * ({@link #tellSubscribers}); a new subscription gets what follows one (the last item).
     */
    void changeSubscription(Node node, String jid, SubscriptionState state) {
        store.subscribe(service, node.name(), jid, state, Integer.MAX_VALUE);
        if (tellSubscribers) {
            messages.sendEvent(node, jid, Events.subscription(node.name(), jid, state == null ? "none" : state.value()));
        }
        if (state == SubscriptionState.SUBSCRIBED) {
            try {
                subscribed(node, store.affiliations(service, node.name()), Jids.parse(jid), store.subscription(service,
                        node.name(), jid).map(Subscription::options).orElse(SubscriptionOptions.DEFAULT));
            } catch (JidMalformedException e) {
                // not stored: every JID here was parsed before
            }
        }
    }
}
