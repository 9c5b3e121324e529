package im.parley.server.modules.pep;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.StanzaErrorType;
import im.parley.server.module.ModuleContext;
import im.parley.server.modules.pep.JdbcPepSubscriptions.Subscribing;
import im.parley.server.modules.pep.NodeConfig.NotificationType;
import im.parley.server.modules.pep.JdbcPepSubscriptions.Subscription;
import im.parley.server.modules.pep.Pubsub.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Explicit subscriptions to PEP nodes, which XEP-0163 §5 asks a PEP service to support beside
 * the implicit ones presence gives (§4.1): subscribe (XEP-0060 §6.1) and unsubscribe (§6.2) by
 * whoever the node's access model admits, one's own subscriptions and affiliations (§5.6, §5.7),
 * and the owner's list of a node's subscriptions, which it may change (§8.8). A subscriber gets
 * the notifications of the node as long as its access model admits it ({@link Notifications}).
 * One subscription per node and JID, so no SubIDs (§6.1.6); each with its options (§6.3,
 * {@link SubscriptionOptions}).
 * Blocking (storage): call on the blocking executor, in the owner's turn.
 */
final class PepSubscriptions {

    private final ModuleContext context;
    private final PepService service;
    private final JdbcPepStore store;
    private final JdbcPepSubscriptions subscriptions;
    private final Notifications notifications;
    private final int maxPerNode;

    PepSubscriptions(ModuleContext context, PepService service, JdbcPepStore store, JdbcPepSubscriptions subscriptions,
                     Notifications notifications, int maxPerNode) {
        this.context = context;
        this.service = service;
        this.store = store;
        this.subscriptions = subscriptions;
        this.notifications = notifications;
        this.maxPerNode = maxPerNode;
    }

    /**
     * XEP-0060 §6.1: subscribes {@code jid} to {@code owner}'s node for {@code requester}, with
     * {@code options} if the request gave them (§6.3.7; null: the defaults, or the options an
     * existing subscription has). Returns what sends the node's last item to the new subscriber
     * (§6.1.7, XEP-0163 §4.3.4), to be run after the answer went out; a subscriber already
     * subscribed gets its subscription again (§6.1.6), with the options given, and no item.
     *
     * @throws Refusal as §6.1.3 says: the JIDs' bare parts differ (§6.1.3.1), the access model
     *                 refuses (§6.1.3.2–§6.1.3.4, §6.1.3.8), too many subscriptions (§6.1.3.9),
     *                 no such node (§6.1.3.12)
     */
    Runnable subscribe(EntityBareJid owner, String node, BareJid requester, Jid jid, SubscriptionOptions options)
            throws Refusal {
        if (!jid.asBareJid().equals(requester)) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "invalid-jid", null);
        }
        NodeConfig config = service.readable(owner, requester, node);
        Subscribing done = subscriptions.subscribe(owner, node, jid.toString(), options, maxPerNode);
        SubscriptionOptions given = options == null ? SubscriptionOptions.DEFAULT : options;
        return switch (done) {
            case TOO_MANY -> throw Refusal.of(StanzaErrorCondition.POLICY_VIOLATION, "too-many-subscriptions",
                    "a node has at most " + maxPerNode + " subscriptions (pep.max_subscriptions), one entity's JIDs at most "
                            + JdbcPepSubscriptions.MAX_PER_ENTITY).ofType(StanzaErrorType.WAIT);
            case ALREADY -> () -> { };
            case SUBSCRIBED -> () -> sendLastItem(owner, node, config, jid, given);
        };
    }

    /** The options {@code jid}'s subscription to a node now has (after {@link #subscribe}: for its answer, §6.3.7). */
    SubscriptionOptions options(EntityBareJid owner, String node, Jid jid) {
        return subscriptions.options(owner, node, jid.toString()).orElse(SubscriptionOptions.DEFAULT);
    }

    /**
     * XEP-0060 §6.3.2: the options of {@code jid}'s subscription, for the requester.
     *
     * @throws Refusal {@code forbidden} for another entity's subscription (§6.3.4.1), no such node
     *                 (§6.3.4.7), {@code not-subscribed} (§6.3.4.2)
     */
    SubscriptionOptions options(EntityBareJid owner, String node, BareJid requester, Jid jid) throws Refusal {
        if (!jid.asBareJid().equals(requester)) {
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        service.existing(owner, node);
        return subscriptions.options(owner, node, jid.toString()).orElseThrow(
                () -> Refusal.of(StanzaErrorCondition.UNEXPECTED_REQUEST, "not-subscribed", null));
    }

    /** XEP-0060 §6.3.5: the options of {@code jid}'s subscription changed by a submitted form, refused as {@link #options} is. */
    void configure(EntityBareJid owner, String node, BareJid requester, Jid jid, Element form) throws Refusal {
        SubscriptionOptions current = options(owner, node, requester, jid);
        SubscriptionOptions changed = current.with(form);
        if (!changed.equals(current)) {
            subscriptions.setOptions(owner, node, jid.toString(), changed);
        }
    }

    private void sendLastItem(EntityBareJid owner, String node, NodeConfig config, Jid subscriber,
                              SubscriptionOptions options) {
        if (!config.deliverNotifications() || config.sendLast() == SendLast.NEVER || !options.deliver()
                || Notifications.isBlocked(context.storage().blockLists().load(owner), subscriber)) {
            return;
        }
        service.expire(owner, node, config);
        List<PepItem> last = store.items(owner, node, 1);
        if (!last.isEmpty()) {
            notifications.send(owner, subscriber, Notifications.published(node, last.get(0), config.deliverPayloads()),
                    last.get(0).published(), config.notificationType(), options);
        }
    }

    /**
     * XEP-0060 §6.2: ends {@code jid}'s subscription; a SubID is ignored, there are none (§6.2.3.5).
     *
     * @throws Refusal {@code forbidden} for another entity's subscription (§6.2.3.3), no such
     *                 node (§6.2.3.4), not subscribed (§6.2.3.2)
     */
    void unsubscribe(EntityBareJid owner, String node, BareJid requester, Jid jid) throws Refusal {
        if (!jid.asBareJid().equals(requester)) {
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        service.existing(owner, node);
        if (!subscriptions.unsubscribe(owner, node, jid.toString())) {
            throw Refusal.of(StanzaErrorCondition.UNEXPECTED_REQUEST, "not-subscribed", null).ofType(StanzaErrorType.CANCEL);
        }
    }

    /** XEP-0060 §5.6: the subscriptions of {@code requester}'s JIDs at this service, of one node if named. */
    List<Subscription> subscriptionsOf(EntityBareJid owner, BareJid requester, String node) {
        List<Subscription> found = new ArrayList<>(subscriptions.subscriptionsOf(owner, requester));
        found.removeIf(subscription -> node != null && !subscription.node().equals(node));
        return found;
    }

    /**
     * XEP-0060 §5.7: {@code requester}'s affiliations at this service, of one node if named: the
     * owner owns every node; others have what the owner gave them (§8.9).
     */
    Map<String, Affiliation> affiliationsOf(EntityBareJid owner, BareJid requester, String node) {
        Map<String, Affiliation> found = new LinkedHashMap<>();
        if (owner.equals(requester)) {
            store.nodes(owner).keySet().forEach(name -> found.put(name, Affiliation.OWNER));
        } else {
            found.putAll(store.affiliationsOf(owner, requester.toString()));
        }
        found.keySet().removeIf(name -> node != null && !name.equals(node));
        return found;
    }

    /** XEP-0060 §8.8.1: the JIDs subscribed to a node. */
    List<String> subscribers(EntityBareJid owner, String node) throws Refusal {
        service.existing(owner, node);
        return List.copyOf(subscriptions.subscribers(owner, node).keySet());
    }

    /**
     * XEP-0060 §8.8.2: the owner's changes to a node's subscriptions, {@code subscribed} or
     * {@code none} (§8.8.3) for each JID; each entity whose subscription changed is told (§8.8.4).
     * Returns the entries that could not be applied, with the subscription they still have
     * (§8.8.2.4: the others are applied).
     */
    List<Element> change(EntityBareJid owner, String node, List<Element> entries) throws Refusal {
        service.existing(owner, node);
        List<Element> failed = new ArrayList<>();
        for (Element entry : entries) {
            String state = entry.attributeValue("subscription");
            Optional<Jid> jid = parse(entry.attributeValue("jid"));
            boolean changed;
            if (jid.isEmpty() || state == null || !List.of("subscribed", "none").contains(state)) {
                changed = false;
                failed.add(entry);
            } else if ("none".equals(state)) {
                changed = subscriptions.unsubscribe(owner, node, jid.get().toString());
            } else {
                Subscribing done = subscriptions.subscribe(owner, node, jid.get().toString(), maxPerNode);
                if (done == Subscribing.TOO_MANY) {
                    failed.add(entry);
                }
                changed = done == Subscribing.SUBSCRIBED;
            }
            if (changed) {
                notifications.send(owner, jid.get(), stateEvent(node, jid.get().toString(), state), null,
                        NotificationType.HEADLINE);
            }
        }
        List<Element> unchanged = new ArrayList<>();
        Set<String> subscribed = failed.isEmpty() ? Set.of() : subscriptions.subscribers(owner, node).keySet();
        for (Element entry : failed) {
            String jid = entry.attributeValue("jid", "");
            unchanged.add(DocumentHelper.createElement(QName.get("subscription", Pubsub.OWNER)).addAttribute("jid", jid)
                    .addAttribute("subscription", subscribed.contains(jid) ? "subscribed" : "none"));
        }
        return unchanged;
    }

    /** A local account is gone: its subscriptions at every account go too. */
    void accountDeleted(EntityBareJid account) {
        subscriptions.unsubscribeEverywhere(account);
    }

    /** XEP-0060 §8.8.4: the event that tells an entity its subscription's new state. */
    private static Element stateEvent(String node, String jid, String state) {
        Element event = DocumentHelper.createElement(QName.get("event", Pubsub.EVENT));
        event.addElement(QName.get("subscription", Pubsub.EVENT)).addAttribute("node", node).addAttribute("jid", jid)
                .addAttribute("subscription", state);
        return event;
    }

    private static Optional<Jid> parse(String jid) {
        try {
            return jid == null ? Optional.empty() : Optional.of(Jids.parse(jid));
        } catch (JidMalformedException e) {
            return Optional.empty();
        }
    }
}
