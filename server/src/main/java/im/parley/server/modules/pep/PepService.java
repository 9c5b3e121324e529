package im.parley.server.modules.pep;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.Rsm;
import im.parley.server.modules.pep.JdbcPepStore.Creation;
import im.parley.server.modules.pep.Pubsub.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.dom4j.Element;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Every account's personal eventing service (XEP-0163): nodes created on first publish, items,
 * configuration and the notifications they cause. Also the API other modules use to keep data in
 * an account's PEP nodes (bookmarks, avatars): {@link #publish} and {@link #items}. Blocking
 * (storage): call on the blocking executor, within the owner's turn where order matters.
 */
public final class PepService {

    /** Told when the items of a node change, for a module that keeps other data in step with it. */
    @FunctionalInterface
    public interface NodeListener {
        /** {@code owner}'s node changed: an item published or retracted, or the node purged or deleted. */
        void changed(EntityBareJid owner);
    }

    /** The limits of {@code pep.*}. */
    record Limits(int maxItems, int maxNodes, int maxPayloadBytes) {
    }

    private final ModuleContext context;
    private final JdbcPepStore store;
    private final JdbcPepSubscriptions subscriptions;
    private final Notifications notifications;
    private final Limits limits;
    private final Map<String, List<NodeListener>> listeners = new ConcurrentHashMap<>();

    PepService(ModuleContext context, JdbcPepStore store, JdbcPepSubscriptions subscriptions, Notifications notifications,
               Limits limits) {
        this.context = context;
        this.store = store;
        this.subscriptions = subscriptions;
        this.notifications = notifications;
        this.limits = limits;
    }

    /** {@code pep.max_items}: what {@code max} means in a node configuration. */
    int maxItems() {
        return limits.maxItems();
    }

    /**
     * Publishes {@code payload} as item {@code itemId} (a new id if null) of {@code owner}'s
     * {@code node} (XEP-0060 §7.1), creating the node if needed (XEP-0163 §3, auto-create) with
     * {@code options} as its configuration, or checking them as preconditions on an existing
     * node (§7.1.5), and notifies (§7.1.2). Returns the item id.
     *
     * @throws Refusal as XEP-0060 §7.1.3 says
     */
    public String publish(EntityBareJid owner, String node, String itemId, Element payload,
                          Map<String, List<String>> options) throws Refusal {
        return publish(owner, node, itemId, payload, options, null);
    }

    /**
     * {@link #publish(EntityBareJid, String, String, Element, Map)} by the owner's resource
     * {@code publisher} (null for the server itself), which notifications name to whoever shares
     * the owner's presence (XEP-0163 §4.3.1 rule 3).
     */
    String publish(EntityBareJid owner, String node, String itemId, Element payload, Map<String, List<String>> options,
                   Jid publisher) throws Refusal {
        String xml = payload.asXML();
        if (xml.getBytes(StandardCharsets.UTF_8).length > limits.maxPayloadBytes()) {
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, "payload-too-big",
                    "payloads are limited to " + limits.maxPayloadBytes() + " bytes (pep.max_payload_size)");
        }
        NodeConfig config = existingOrCreated(owner, node, options);
        PepItem item = new PepItem(itemId == null || itemId.isEmpty() ? UUID.randomUUID().toString() : itemId,
                context.clock().instant(), xml);
        store.publish(owner, node, item, config.keptItems());
        notify(owner, node, config, to -> Notifications.published(node, item, config.deliverPayloads()), publisher);
        changed(owner, node);
        return item.id();
    }

    private NodeConfig existingOrCreated(EntityBareJid owner, String node, Map<String, List<String>> options)
            throws Refusal {
        Optional<NodeConfig> existing = store.node(owner, node);
        if (existing.isPresent()) {
            if (!existing.get().satisfies(options, limits.maxItems())) {
                throw Refusal.of(StanzaErrorCondition.CONFLICT, "precondition-not-met",
                        "the node's configuration does not match the publish-options");
            }
            return existing.get();
        }
        NodeConfig config = NodeConfig.defaults().with(options, limits.maxItems());
        create(owner, node, config);
        return config;
    }

    /** XEP-0060 §8.1: a new node, refused if it exists or the account has {@code pep.max_nodes}. */
    void create(EntityBareJid owner, String node, NodeConfig config) throws Refusal {
        Creation created = store.create(owner, node, config, limits.maxNodes());
        switch (created) {
            case CREATED -> { }
            case EXISTS -> throw Refusal.of(StanzaErrorCondition.CONFLICT);
            case TOO_MANY -> throw Refusal.of(StanzaErrorCondition.NOT_ALLOWED, "max-nodes-exceeded",
                    "an account may have " + limits.maxNodes() + " nodes (pep.max_nodes)");
            case NO_ACCOUNT -> throw Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
    }

    /**
     * §16.4.4 {@code pubsub#item_expire}: deletes the node's expired items, if its configuration
     * has them expire, before they are read or sent: none is returned or sent once expired. Other
     * nodes cost nothing here.
     */
    void expire(EntityBareJid owner, String node, NodeConfig config) {
        config.itemExpiry().ifPresent(kept -> store.expire(owner, node, context.clock().instant().minus(kept)));
    }

    /**
     * Deletes the expired items of every node of the host's accounts (§16.4.4), those no read
     * deleted first; how many. Blocking.
     */
    int purgeExpired() {
        return store.expireAll(context.host().domain().toString(), context.clock().instant());
    }

    /**
     * The items of {@code owner}'s node, oldest first, as the owner sees them; empty without such
     * a node. For the server's own modules (bookmarks, avatars), which see no expired item
     * (§16.4.4) either: a node whose configuration has items expire drops them first.
     */
    public List<PepItem> items(EntityBareJid owner, String node) {
        store.node(owner, node).ifPresent(config -> expire(owner, node, config));
        return store.items(owner, node, -1);
    }

    /**
     * XEP-0060 §6.5: the items {@code requester} asks for, if its access model lets it see them:
     * all, the newest {@code max} (§6.5.7) or those of {@code ids} (§6.5.8).
     */
    List<PepItem> retrieve(EntityBareJid owner, BareJid requester, String node, int max, Set<String> ids)
            throws Refusal {
        NodeConfig config = readable(owner, requester, node);
        expire(owner, node, config);
        if (!ids.isEmpty()) {
            List<PepItem> found = store.items(owner, node, ids);
            if (found.isEmpty()) {
                throw Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND);
            }
            return found;
        }
        return store.items(owner, node, max);
    }

    /**
     * XEP-0060 §6.5.4 with XEP-0059: the page {@code request} asks of the items {@code requester}
     * may see (all, or the newest {@code max}, §6.5.7), oldest first ({@link Pubsub#page}).
     */
    Pubsub.ItemPage<PepItem> page(EntityBareJid owner, BareJid requester, String node, int max, Rsm.Request request)
            throws Refusal {
        expire(owner, node, readable(owner, requester, node));
        return Pubsub.page(store.positions(owner, node), max, request,
                (first, last) -> store.items(owner, node, first, last));
    }

    /** The node's configuration if {@code requester} may see it (§6.5.9 errors otherwise). */
    NodeConfig readable(EntityBareJid owner, BareJid requester, String node) throws Refusal {
        NodeConfig config = existing(owner, node);
        Optional<Refusal> refusal = new NodeAccess(owner, context.storage().rosters().roster(owner))
                .refusal(requester, config, store.affiliations(owner, node));
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        return config;
    }

    /** The nodes {@code requester} may see (XEP-0163 §6.2 disco#items), by name. */
    Map<String, NodeConfig> visibleNodes(EntityBareJid owner, BareJid requester) {
        Map<String, NodeConfig> nodes = store.nodes(owner);
        NodeAccess access = new NodeAccess(owner, context.storage().rosters().roster(owner));
        nodes.entrySet().removeIf(node -> !access.allows(requester, node.getValue(),
                store.affiliations(owner, node.getKey())));
        return nodes;
    }

    /**
     * XEP-0060 §7.2: deletes an item, notifying if the node says so (§7.2.2.1); an expired one
     * (§16.4.4) is gone already: {@code item-not-found}, as on the PubSub service.
     */
    public void retract(EntityBareJid owner, String node, String id, boolean notify) throws Refusal {
        NodeConfig config = existing(owner, node);
        expire(owner, node, config);
        if (!store.retract(owner, node, id)) {
            throw Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        if (notify || config.notifyRetract()) {
            notify(owner, node, config, to -> Pubsub.retracted(node, id), null);
        }
        changed(owner, node);
    }

    /**
     * XEP-0060 §8.4: deletes a node with its subscriptions, telling who could see it (§8.4.2) if
     * it notifies deletion.
     */
    void delete(EntityBareJid owner, String node) throws Refusal {
        NodeConfig config = existing(owner, node);
        Map<String, Affiliation> affiliations = store.affiliations(owner, node);
        Map<String, SubscriptionOptions> subscribers = subscriptions.subscribers(owner, node);
        store.delete(owner, node);
        if (config.notifyDelete()) {
            notifications.broadcast(owner, node, config, affiliations, subscribers,
                    to -> Pubsub.nodeEvent("delete", node), null);
        }
        changed(owner, node);
    }

    /** XEP-0060 §8.5: deletes every item of a node and notifies (§8.5.2). */
    void purge(EntityBareJid owner, String node) throws Refusal {
        NodeConfig config = existing(owner, node);
        store.purge(owner, node);
        notify(owner, node, config, to -> Pubsub.nodeEvent("purge", node), null);
        changed(owner, node);
    }

    /**
     * Calls {@code listener} after every change to the items of any account's {@code node}, by a
     * client or a module, in the owner's turn and on the thread that made it. Call while loading.
     */
    public void onChange(String node, NodeListener listener) {
        listeners.computeIfAbsent(node, n -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Sends what {@code event} makes to whoever gets the node's notifications, subscribers included. */
    private void notify(EntityBareJid owner, String node, NodeConfig config, Function<Jid, Element> event, Jid publisher) {
        if (!config.deliverNotifications()) {
            return;  // nobody gets any: no need to read who would
        }
        notifications.broadcast(owner, node, config, store.affiliations(owner, node), subscriptions.subscribers(owner, node),
                event, publisher);
    }

    private void changed(EntityBareJid owner, String node) {
        listeners.getOrDefault(node, List.of()).forEach(listener -> listener.changed(owner));
    }

    NodeConfig existing(EntityBareJid owner, String node) throws Refusal {
        return store.node(owner, node).orElseThrow(() -> Refusal.of(StanzaErrorCondition.ITEM_NOT_FOUND));
    }

    /** XEP-0060 §8.2.5: a new configuration from a submitted form, notified if the node says so (§8.2.5.3). */
    void configure(EntityBareJid owner, String node, Map<String, List<String>> fields) throws Refusal {
        NodeConfig config = existing(owner, node).with(fields, limits.maxItems());
        store.configure(owner, node, config);
        if (config.notifyConfig()) {
            notify(owner, node, config, to -> Notifications.configured(node, config), null);
        }
    }

    /** XEP-0060 §8.9.1: the affiliations of a node, the owner's included. */
    Map<String, Affiliation> affiliations(EntityBareJid owner, String node) throws Refusal {
        existing(owner, node);
        Map<String, Affiliation> all = new LinkedHashMap<>();
        all.put(owner.toString(), Affiliation.OWNER);
        all.putAll(store.affiliations(owner, node));
        return all;
    }

    /**
     * XEP-0060 §8.9.2: changes affiliations; the owner's own cannot change (§8.9.2.4). An outcast
     * loses its subscriptions (§4.1: an outcast may not subscribe).
     */
    void affiliate(EntityBareJid owner, String node, Map<String, Affiliation> changes) throws Refusal {
        existing(owner, node);
        if (changes.containsKey(owner.toString()) || changes.containsValue(Affiliation.OWNER)) {
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, null, "a PEP node has one owner, the account");
        }
        store.affiliate(owner, node, changes);
        for (Map.Entry<String, Affiliation> change : changes.entrySet()) {
            if (change.getValue() == Affiliation.OUTCAST) {
                try {
                    subscriptions.unsubscribeAll(owner, node, Jids.parse(change.getKey()).asBareJid());
                } catch (JidMalformedException e) {
                    throw new IllegalStateException("an affiliation's JID was checked before: " + change.getKey(), e);
                }
            }
        }
    }

    /**
     * XEP-0163 §4.3.3 rule 2 and §4.3.4: the last item of each node a newly available resource
     * wants ({@code features}) and may see, unless the node never sends it.
     */
    void sendLastItems(EntityBareJid owner, Jid resource, Set<String> features) {
        Set<Jid> blocked = context.storage().blockLists().load(owner);
        if (Notifications.isBlocked(blocked, resource)) {
            return;
        }
        for (Map.Entry<String, NodeConfig> node : visibleNodes(owner, resource.asBareJid()).entrySet()) {
            NodeConfig config = node.getValue();
            if (config.deliverNotifications() && config.sendLast() == SendLast.ON_SUB_AND_PRESENCE
                    && InterestedResources.wants(features, node.getKey())) {
                expire(owner, node.getKey(), config);
                List<PepItem> last = store.items(owner, node.getKey(), 1);
                if (!last.isEmpty()) {
                    notifications.send(owner, resource, Notifications.published(node.getKey(), last.get(0),
                            config.deliverPayloads()), last.get(0).published(), config.notificationType());
                }
            }
        }
    }
}
