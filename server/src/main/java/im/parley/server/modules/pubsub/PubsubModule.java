package im.parley.server.modules.pubsub;

import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ServerAdmins;
import im.parley.server.config.ValueType;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PeriodicTask;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.adhoc.CommandService;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.pep.Pubsub;
import im.parley.server.storage.RosterItem;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publish-Subscribe (XEP-0060): a service on {@code pubsub.<domain>} for each hosted domain, where
 * entities create nodes, publish items and subscribe to them, as ejabberd's {@code mod_pubsub} and
 * Prosody's pubsub component offer; besides each account's own service (PEP, XEP-0163,
 * {@code modules.pep}). Who may create nodes is the operator's choice ({@code pubsub.create_nodes}:
 * by default the accounts of this server); the limits on nodes, items, payloads and subscriptions
 * are options. Subscribers choose whether they get notifications and whether those carry a body
 * (subscription options, §6.3). Leaf nodes only: collections (XEP-0248) are not offered, and say
 * so in their errors.
 */
public final class PubsubModule implements XmppModule {

    static final OptionSection SECTION = new OptionSection("pubsub", "The publish-subscribe service (XEP-0060) on "
            + "`<subdomain>.<domain>`.");
    public static final ModuleOption<String> SUBDOMAIN = SECTION.option("subdomain", ValueType.STRING, "pubsub",
            "The service's domain is this label before each hosted domain: `pubsub.example.org`.");
    public static final ModuleOption<CreateNodes> CREATE_NODES = SECTION.option("create_nodes",
            ValueType.oneOf(CreateNodes.class), CreateNodes.LOCAL, "Who may create nodes (and publish to a node that "
                    + "does not exist yet, which creates it): `local`, the accounts of this server; `admins`, the "
                    + "server's admins only; `anyone`, any entity with a localpart, of this server or another.");
    public static final ModuleOption<Integer> MAX_ITEMS = SECTION.option("max_items", ValueType.integer(1, 10_000), 256,
            "The most items a node keeps; a larger `pubsub#max_items` is refused with `policy-violation`, `max` means this.");
    public static final ModuleOption<Integer> MAX_PAYLOAD_SIZE = SECTION.option("max_payload_size",
            ValueType.integer(1, 16 * 1024 * 1024), 64 * 1024,
            "Largest item payload in bytes; larger is refused with `not-acceptable` and `<payload-too-big/>`.");
    public static final ModuleOption<Integer> MAX_NODES_PER_OWNER = SECTION.option("max_nodes_per_owner",
            ValueType.integer(1, 1_000_000), 100,
            "The most nodes one entity may own; one more is refused with `not-allowed` and `<max-nodes-exceeded/>`.");
    public static final ModuleOption<Integer> MAX_SUBSCRIPTIONS = SECTION.option("max_subscriptions",
            ValueType.integer(1, 1_000_000), 10_000,
            "The most subscriptions a node may have; one more is refused with `policy-violation` and `<too-many-subscriptions/>`.");

    public static final ModuleOption<Boolean> SUBSCRIPTION_NOTIFICATIONS = SECTION.option("subscription_notifications",
            ValueType.BOOLEAN, false, "Tell a subscriber with a message when an owner approves, denies or changes its "
                    + "subscription (XEP-0060 §8.6, §8.8.4). Off by default: Smack-based clients close their connection "
                    + "on that message.");

    /** Values of {@link #CREATE_NODES}. */
    public enum CreateNodes {
        LOCAL, ADMINS, ANYONE
    }

    private static final Logger LOG = LoggerFactory.getLogger(PubsubModule.class);
    /** How often the nodes' expired items (§16.4.4 {@code pubsub#item_expire}) are purged; a read purges them too. */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private PubsubService service;

    @Override
    public String name() {
        return "pubsub";
    }

    /** Presence and roster access models read the owners' rosters. */
    @Override
    public List<String> dependsOn() {
        return List.of("roster");
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(SUBDOMAIN, CREATE_NODES, MAX_ITEMS, MAX_PAYLOAD_SIZE, MAX_NODES_PER_OWNER, MAX_SUBSCRIPTIONS,
                SUBSCRIPTION_NOTIFICATIONS);
    }

    @Override
    public void load(ModuleContext context) {
        DomainBareJid domain = context.componentDomain(SUBDOMAIN);
        ModuleContext serviceContext = context.addComponentHost(domain);
        JdbcPubsubStore store = new JdbcPubsubStore(context.schema(this, "classpath:db/pubsub"));
        NodeAccess access = new NodeAccess(owner -> roster(context, owner));
        PubsubService.Limits limits = new PubsubService.Limits(
                new NodeSettings.Limits(context.option(MAX_ITEMS), context.option(MAX_PAYLOAD_SIZE)),
                context.option(MAX_NODES_PER_OWNER), context.option(MAX_SUBSCRIPTIONS));
        service = new PubsubService(domain, store, access, limits, creators(context),
                context.option(SUBSCRIPTION_NOTIFICATIONS), context.clock(), context::send);
        PubsubRequests requests = new PubsubRequests(service, context.option(SUBSCRIPTION_NOTIFICATIONS),
                context.blocking(), context::send);
        serviceContext.handleServerIq(ServerInfo.DISCO_INFO, requests::discoInfo);
        serviceContext.handleServerIq(ServerInfo.DISCO_ITEMS, requests::discoItems);
        serviceContext.handleServerIq(Pubsub.NS, requests::request);
        serviceContext.handleServerIq(Pubsub.OWNER, requests::request);
        serviceContext.hook(StanzaEvents.to("message", Shape.HOST), EventPriority.HANDLE, requests::onMessage);
        CommandService.on(serviceContext).add(new PendingSubscriptionsCommand(service, requests::inTurn));
        // Expired items are purged on a thread of their own, never an event loop.
        PeriodicTask.every(context, "pubsub-expiry-" + domain, PURGE_INTERVAL, this::purgeExpired);
        // A deleted account's affiliations and subscriptions go, and the nodes it alone owned.
        DomainBareJid hosted = context.host().domain();
        context.storage().accounts().afterDelete(account -> {
            if (account.getDomain().equals(hosted)) {
                requests.forget(account).exceptionally(failure -> {
                    LOG.warn("cannot remove {} from the pubsub service {}", account, domain, failure);
                    return null;
                });
            }
        });
    }

    /** Deletes the expired items of the service's nodes; how many. Blocking. */
    int purgeExpired() {
        try {
            return service.purgeExpired();
        } catch (RuntimeException e) {
            LOG.warn("cannot purge the expired items of the pubsub service {}", service.domain(), e);
            return 0;
        }
    }

    /** The service of this module's host (tests). */
    PubsubService service() {
        return service;
    }

    /** {@link #CREATE_NODES}: local accounts, the admins, or any entity with a localpart. */
    private static Predicate<Jid> creators(ModuleContext context) {
        Set<DomainBareJid> hosted = context.domains();
        Set<EntityBareJid> admins = ServerAdmins.jids(context.option(ServerAdmins.ADMINS));
        return switch (context.option(CREATE_NODES)) {
            case LOCAL -> jid -> jid.hasLocalpart() && hosted.contains(jid.asDomainBareJid());
            case ADMINS -> jid -> jid.hasLocalpart() && admins.contains(jid.asEntityBareJidIfPossible());
            case ANYONE -> Jid::hasLocalpart;
        };
    }

    /** A local account's roster (what presence and roster access read); none for any other JID. */
    private static Collection<RosterItem> roster(ModuleContext context, EntityBareJid owner) {
        if (!context.domains().contains(owner.asDomainBareJid())) {
            return List.of();
        }
        return context.storage().rosters().roster(owner).items();
    }
}
