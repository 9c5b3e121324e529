package im.parley.server.modules.pubsub;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.module.Rsm;
import im.parley.server.modules.pep.Pubsub;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Item;
import im.parley.server.modules.pubsub.JdbcPubsubStore.StoredNode;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;

/**
 * A publish-subscribe service (XEP-0060) on its own domain, {@code pubsub.<domain>}: nodes that
 * entities create, configure and delete (§8), publish to and retract from (§7) and retrieve items
 * from (§6.5), with affiliations (§4.1), access models (§4.5) and publish models (§16.4.4
 * {@code pubsub#publish_model}); the subscriptions are {@link NodeSubscriptions}', the messages
 * sent from the service's domain {@link ServiceMessages}'. Blocking (storage); the module runs one
 * request at a time per service, so that a node's changes and their notifications keep their order
 * (RFC 6120 §10.1).
 */
final class PubsubService {

    /** The service's limits ({@code pubsub.*}). */
    record Limits(NodeSettings.Limits node, int maxNodesPerOwner, int maxSubscriptions) {
    }

    private final DomainBareJid domain;
    private final JdbcPubsubStore store;
    private final NodeAccess access;
    private final Limits limits;
    private final Predicate<Jid> mayCreate;
    private final Clock clock;
    private final ServiceMessages messages;
    private final NodeSubscriptions subscriptions;

    /**
     * @param tellSubscribers whether a subscriber is told when an owner changes its subscription
     *     (§8.6, §8.8.4, the notification of subscription state changes; SHOULD in each place),
     *     {@code pubsub.subscription_notifications}: Smack (4.4 and 4.5) cannot parse an
     *     {@code <event><subscription/></event>} and closes its connection on it
     */
    PubsubService(DomainBareJid domain, JdbcPubsubStore store, NodeAccess access, Limits limits,
                  Predicate<Jid> mayCreate, boolean tellSubscribers, Clock clock, Consumer<Stanza> send) {
        this.domain = domain;
        this.store = store;
        this.access = access;
        this.limits = limits;
        this.mayCreate = mayCreate;
        this.clock = clock;
        this.messages = new ServiceMessages(domain, store, access, send);
        this.subscriptions = new NodeSubscriptions(this, store, access, messages, limits.maxSubscriptions(),
                tellSubscribers);
    }

    /** Subscribing, approvals and the owners' management of subscriptions. */
    NodeSubscriptions subscriptions() {
        return subscriptions;
    }

    DomainBareJid domain() {
        return domain;
    }

    NodeSettings defaults() {
        return NodeSettings.defaults(limits.node());
    }

    NodeSettings.Limits nodeLimits() {
        return limits.node();
    }

    /** A node as it is now: its name, configuration and creation. */
    record Node(String name, NodeSettings settings, Instant created) {
    }

    Optional<Node> find(String node) {
        return store.node(service(), node).map(this::node);
    }

    Node existing(String node) throws Refusal {
        return find(node).orElseThrow(() -> Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND));
    }

    /**
     * The nodes {@code requester} may discover (§5.2): all but those it is an outcast of. A node
     * whose items it may not read is listed all the same, so that it can ask to subscribe
     * ({@code authorize}) or learn why it may not (§6.1.3).
     */
    List<Node> discoverableNodes(BareJid requester) {
        List<Node> visible = new ArrayList<>();
        for (StoredNode stored : store.nodes(service())) {
            Node node = node(stored);
            if (mayDiscover(requester, node.name())) {
                visible.add(node);
            }
        }
        return visible;
    }

    /** Whether {@code requester} may see that the node exists and what it is (§5.3, §5.4): unless an outcast. */
    boolean mayDiscover(BareJid requester, String node) {
        return store.affiliations(service(), node).get(requester.toString()) != Affiliation.OUTCAST;
    }

    /** Whether {@code requester} may read the node's items (§6.5; its item ids, §5.5: else item-not-found). */
    boolean mayView(BareJid requester, Node node) {
        return access.refusesItems(requester, node.settings(), store.affiliations(service(), node.name()),
                subscribed(node.name(), requester)).isEmpty();
    }

    /**
     * §8.1: creates a node ({@code null}: an instant node, §8.1.2, named by the service) with
     * {@code fields} applied to the defaults (§8.1.3); the requester is its owner. Returns its name.
     */
    String create(Jid requester, String node, Map<String, List<String>> fields) throws Refusal {
        if (!mayCreate.test(requester)) {
            // §8.1.3.1: not allowed to create nodes.
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        NodeSettings settings = defaults().with(fields, limits.node());
        String owner = requester.asBareJid().toString();
        if (store.ownedNodes(service(), owner) >= limits.maxNodesPerOwner()) {
            throw Refusal.of(StanzaErrorCondition.NOT_ALLOWED, "max-nodes-exceeded", "an entity may own "
                    + limits.maxNodesPerOwner() + " nodes here (pubsub.max_nodes_per_owner)");
        }
        String name = node == null ? UUID.randomUUID().toString() : node;
        if (name.length() > NodeSettings.MAX_TEXT) {
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "a node's name has at most "
                    + NodeSettings.MAX_TEXT + " characters");
        }
        if (!store.create(service(), name, settings.stored(), clock.instant(), owner)) {
            // §8.1.3.3: the node exists.
            throw Refusal.of(StanzaErrorCondition.CONFLICT);
        }
        return name;
    }

    /** §8.2: the node's configuration form, for its owners. */
    Element configuration(Jid requester, String node) throws Refusal {
        Node existing = owned(requester, node);
        return existing.settings().form("form");
    }

    /** §8.2.4: a new configuration; its subscribers are told if the node says so (§8.2.5.3). */
    void configure(Jid requester, String node, Map<String, List<String>> fields) throws Refusal {
        Node existing = owned(requester, node);
        NodeSettings settings = existing.settings().with(fields, limits.node());
        store.configure(service(), node, settings.stored());
        store.trim(service(), node, settings.persistItems() ? settings.maxItems() : 0);
        if (settings.notifyConfig()) {
            Element event = Events.configured(node, settings.deliverPayloads() ? settings.form("result") : null);
            messages.notifySubscribers(new Node(node, settings, existing.created()), event);
        }
    }

    /** §8.4: deletes a node; its subscribers are told (§8.4.2), with where it went if the owner says ({@code redirect}). */
    void delete(Jid requester, String node, String redirect) throws Refusal {
        Node existing = owned(requester, node);
        List<Subscription> subscribers = store.subscriptions(service(), node);
        Map<String, Affiliation> affiliations = store.affiliations(service(), node);
        store.delete(service(), node);
        if (existing.settings().notifyDelete() && existing.settings().deliverNotifications()) {
            for (Subscription subscription : subscribers) {
                if (subscription.state() == SubscriptionState.SUBSCRIBED
                        && affiliations.get(bareOf(subscription.jid())) != Affiliation.OUTCAST) {
                    messages.sendEvent(existing, subscription.jid(), Events.deleted(node, redirect));
                }
            }
        }
    }

    /** §8.5: deletes every item of a node; its subscribers are told (§8.5.2). */
    void purge(Jid requester, String node) throws Refusal {
        Node existing = owned(requester, node);
        if (!existing.settings().persistItems()) {
            throw Refusal.unsupported("persistent-items");
        }
        store.purge(service(), node);
        messages.notifySubscribers(existing, Pubsub.nodeEvent("purge", node));
    }

    /**
     * §7.1: publishes {@code item} (null: a notification without item, for a transient node), with
     * publish-options (§7.1.5) as preconditions, or as the configuration of a node created for it
     * (auto-create, §7.1.4). Returns the item's id, or null if none.
     */
    String publish(Jid requester, String node, Element item, Map<String, List<String>> options) throws Refusal {
        Optional<Node> found = find(node);
        Node target;
        if (found.isEmpty()) {
            // §7.1.4: auto-create, for whoever may create nodes.
            if (!mayCreate.test(requester)) {
                throw Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND);
            }
            create(requester, node, options);
            target = existing(node);
        } else {
            target = found.get();
            if (!options.isEmpty() && !target.settings().satisfies(options, limits.node())) {
                throw Refusal.of(StanzaErrorCondition.CONFLICT, "precondition-not-met",
                        "the node's configuration does not match the publish-options");
            }
        }
        NodeSettings settings = target.settings();
        Map<String, Affiliation> affiliations = store.affiliations(service(), node);
        if (!mayPublish(requester.asBareJid(), settings, affiliations, node)) {
            // §7.1.3.1: insufficient privileges.
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        checkEventType(settings, item);
        Element payload = item == null || item.elements().isEmpty() ? null : item.elements().get(0);
        if (payload != null && payload.asXML().getBytes(StandardCharsets.UTF_8).length > settings.maxPayloadBytes()) {
            // §7.1.3.4: payload too big.
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, "payload-too-big", "payloads here are limited to "
                    + settings.maxPayloadBytes() + " bytes");
        }
        String id = item == null ? null : Optional.ofNullable(item.attributeValue("id")).filter(s -> !s.isEmpty())
                .orElse(UUID.randomUUID().toString());
        if (id != null && id.length() > NodeSettings.MAX_TEXT) {
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "an item id has at most " + NodeSettings.MAX_TEXT
                    + " characters");
        }
        Item published = new Item(id, requester.asBareJid().toString(), clock.instant(),
                payload == null ? "" : payload.asXML());
        if (settings.persistItems() && id != null) {
            store.publish(service(), node, published, settings.maxItems());
        }
        messages.notifySubscribers(target, Events.published(node, id == null ? null : published, settings));
        return id;
    }

    /**
     * §7.1.3.6: what the node's event type (persistent or transient, payload or notification-only)
     * requires of a publication: a persistent node wants an item, a payload node a payload, and a
     * transient notification-only node takes no item.
     */
    private static void checkEventType(NodeSettings settings, Element item) throws Refusal {
        boolean persistent = settings.persistItems();
        boolean payloads = settings.deliverPayloads();
        if (item == null) {
            if (persistent || payloads) {
                throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, persistent ? "item-required" : "payload-required", null);
            }
            return;
        }
        if (!persistent && !payloads) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "item-forbidden", null);
        }
        if (item.elements().size() > 1) {
            // §7.1.3.6 and §7.1.3.5: one payload per item.
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "invalid-payload", null);
        }
        if (payloads && item.elements().isEmpty()) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "payload-required", null);
        }
    }

    /** §4.1 and {@code pubsub#publish_model}: publishers, also subscribers, or anyone not an outcast. */
    private boolean mayPublish(BareJid requester, NodeSettings settings, Map<String, Affiliation> affiliations,
                               String node) {
        Affiliation affiliation = affiliations.getOrDefault(requester.toString(), Affiliation.NONE);
        if (affiliation == Affiliation.OUTCAST) {
            return false;
        }
        if (affiliation.publishes()) {
            return true;
        }
        return switch (settings.publishModel()) {
            case "open" -> true;
            case "subscribers" -> subscribed(node, requester);
            default -> false;
        };
    }

    /** §7.2: deletes an item; subscribers are told if {@code notify} or the node says so (§7.2.2.1). */
    void retract(Jid requester, String node, String id, boolean notify) throws Refusal {
        Node existing = existing(node);
        if (!existing.settings().persistItems()) {
            // §7.2.3.5: the node keeps no items.
            throw Refusal.unsupported("persistent-items");
        }
        expire(existing);
        Map<String, Affiliation> affiliations = store.affiliations(service(), node);
        Affiliation affiliation = affiliations.getOrDefault(requester.asBareJid().toString(), Affiliation.NONE);
        boolean publisherOfIt = store.items(service(), node, Set.of(id)).stream()
                .anyMatch(item -> item.publisher().equals(requester.asBareJid().toString()));
        if (affiliation != Affiliation.OWNER && affiliation != Affiliation.PUBLISHER && !publisherOfIt) {
            // §7.2.3.1: neither a publisher nor the item's.
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        if (!store.retract(service(), node, id)) {
            // §7.2.3.3: no such item.
            throw Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        if (notify || existing.settings().notifyRetract()) {
            messages.notifySubscribers(existing, Pubsub.retracted(node, id));
        }
    }

    /** §6.5: the newest {@code max} items (all if negative) or those of {@code ids} (§6.5.8), if the requester may see them. */
    List<Item> items(Jid requester, Node existing, int max, Set<String> ids) throws Refusal {
        String node = readable(requester, existing);
        return ids.isEmpty() ? store.items(service(), node, max) : store.items(service(), node, ids);
    }

    /**
     * §6.5.4 with XEP-0059: the page {@code request} asks of the items (all, or the newest
     * {@code max}, §6.5.7), oldest first ({@link Pubsub#page}), if the requester may see them.
     */
    Pubsub.ItemPage<Item> page(Jid requester, Node existing, int max, Rsm.Request request) throws Refusal {
        String node = readable(requester, existing);
        return Pubsub.page(store.positions(service(), node), max, request,
                (first, last) -> store.items(service(), node, first, last));
    }

    /** The node's name if {@code requester} may read its items (the §6.5.9 errors otherwise). */
    private String readable(Jid requester, Node existing) throws Refusal {
        String node = existing.name();
        Optional<Refusal> refusal = access.refusesItems(requester.asBareJid(), existing.settings(),
                store.affiliations(service(), node), subscribed(node, requester.asBareJid()));
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        if (!existing.settings().persistItems()) {
            // §6.5.9.9: a transient node has no items to give.
            throw Refusal.unsupported("persistent-items");
        }
        expire(existing);
        return node;
    }

    /**
     * §16.4.4 {@code pubsub#item_expire}: deletes the node's items published longer ago than it
     * says (before they are read, so that none is returned or sent once expired).
     */
    void expire(Node node) {
        node.settings().itemExpire().ifPresent(kept -> store.expire(service(), node.name(), clock.instant().minus(kept)));
    }

    /** Deletes the expired items of every node ({@link #expire}); how many. */
    int purgeExpired() {
        int purged = 0;
        for (StoredNode stored : store.nodes(service())) {
            Node node = node(stored);
            Optional<Duration> kept = node.settings().itemExpire();
            if (kept.isPresent()) {
                purged += store.expire(service(), node.name(), clock.instant().minus(kept.get()));
            }
        }
        return purged;
    }

    /** §5.7: the requester's affiliations, of one node if named. */
    Map<String, Affiliation> affiliationsOf(BareJid requester, String node) throws Refusal {
        if (node != null) {
            existing(node);
        }
        Map<String, Affiliation> all = new LinkedHashMap<>(store.affiliationsOf(service(), requester.toString()));
        all.keySet().removeIf(name -> node != null && !name.equals(node));
        return all;
    }

    /** §8.9.1: the affiliations of a node other than none. */
    Map<String, Affiliation> affiliations(Jid requester, String node) throws Refusal {
        owned(requester, node);
        return store.affiliations(service(), node);
    }

    /**
     * §8.9.2: changes affiliations (bare JIDs). A node keeps at least one owner (not-acceptable
     * otherwise); an outcast loses its subscriptions (§4.1: it may not subscribe), a pending
     * subscription of a new owner, publisher or member is approved (§8.7, last note).
     */
    void affiliate(Jid requester, String node, Map<String, Affiliation> changes) throws Refusal {
        owned(requester, node);
        Map<String, Affiliation> after = new LinkedHashMap<>(store.affiliations(service(), node));
        changes.forEach((jid, affiliation) -> {
            if (affiliation == Affiliation.NONE) {
                after.remove(jid);
            } else {
                after.put(jid, affiliation);
            }
        });
        if (!after.containsValue(Affiliation.OWNER)) {
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "a node keeps at least one owner");
        }
        store.affiliate(service(), node, changes);
        Node existing = existing(node);
        for (Map.Entry<String, Affiliation> change : changes.entrySet()) {
            Affiliation affiliation = change.getValue();
            for (Subscription subscription : store.subscriptions(service(), node)) {
                if (!bareOf(subscription.jid()).equals(change.getKey())) {
                    continue;
                }
                if (affiliation == Affiliation.OUTCAST) {
                    subscriptions.changeSubscription(existing, subscription.jid(), null);
                } else if (subscription.state() == SubscriptionState.PENDING && (affiliation == Affiliation.OWNER
                        || affiliation == Affiliation.PUBLISHER || affiliation == Affiliation.MEMBER)) {
                    // §8.7 (the note on affiliation policies): an affiliation that admits it approves it.
                    subscriptions.changeSubscription(existing, subscription.jid(), SubscriptionState.SUBSCRIBED);
                }
            }
        }
    }

    /**
     * An account deleted: its affiliations and subscriptions go, and the nodes it alone owned
     * with them (their subscribers told, as for a deletion).
     */
    void forget(BareJid account) {
        for (Map.Entry<String, Affiliation> affiliation : store.affiliationsOf(service(), account.toString()).entrySet()) {
            if (affiliation.getValue() != Affiliation.OWNER) {
                continue;
            }
            String node = affiliation.getKey();
            long owners = store.affiliations(service(), node).values().stream().filter(a -> a == Affiliation.OWNER).count();
            if (owners == 1) {
                try {
                    delete(account, node, null);
                } catch (Refusal gone) {
                    // deleted meanwhile
                }
            }
        }
        store.forget(service(), account.toString());
    }

    /** The owners of a node, by bare JID. */
    List<String> owners(String node) {
        return owners(store.affiliations(service(), node));
    }

    /** The node if {@code requester} owns it: item-not-found if there is none, forbidden if not an owner (§8.x.3). */
    Node owned(Jid requester, String node) throws Refusal {
        Node existing = existing(node);
        if (store.affiliations(service(), node).get(requester.asBareJid().toString()) != Affiliation.OWNER) {
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        return existing;
    }

    /** Whether {@code entity} (its bare or a full JID) has an approved subscription to the node. */
    private boolean subscribed(String node, BareJid entity) {
        // The entity's own rows (by the JID's index), not the node's every subscriber.
        return store.subscriptionsOf(service(), entity.toString()).stream()
                .anyMatch(s -> s.node().equals(node) && s.state() == SubscriptionState.SUBSCRIBED);
    }

    /** The owners among {@code affiliations}, by bare JID. */
    static List<String> owners(Map<String, Affiliation> affiliations) {
        return affiliations.entrySet().stream().filter(e -> e.getValue() == Affiliation.OWNER).map(Map.Entry::getKey)
                .toList();
    }

    /** The bare part of a JID as stored: up to its first {@code /} (RFC 7622 §3.1). */
    static String bareOf(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    private Node node(StoredNode stored) {
        return new Node(stored.name(), NodeSettings.restored(stored.config(), limits.node()), stored.created());
    }

    private String service() {
        return domain.toString();
    }
}
