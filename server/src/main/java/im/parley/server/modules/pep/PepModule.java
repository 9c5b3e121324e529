package im.parley.server.modules.pep;

import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.DiscoIdentity;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PeriodicTask;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.disco.ServerInfo;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;

/**
 * Personal Eventing Protocol (XEP-0163): every account is a publish-subscribe service
 * (XEP-0060) at its bare JID, with nodes created on first publish, the access models presence,
 * open, roster and whitelist, and notifications to the resources that want them (entity
 * capabilities {@code +notify}, XEP-0115) among those that sent the account presence. OMEMO
 * (XEP-0384) keeps its device lists and bundles here with open access; bookmarks and avatars
 * use {@link #service()}.
 */
public final class PepModule implements XmppModule {

    static final OptionSection SECTION = new OptionSection("pep", "Personal eventing: each account's PubSub service (XEP-0163).");
    public static final ModuleOption<Integer> MAX_ITEMS = SECTION.option("max_items", ValueType.integer(1, 10_000), 256,
            "The most items a node keeps; a larger `pubsub#max_items` is refused with `policy-violation`, `max` means this.");
    public static final ModuleOption<Integer> MAX_NODES = SECTION.option("max_nodes", ValueType.integer(1, 100_000), 1000,
            "The most nodes an account may have; one more is refused with `not-allowed` and `<max-nodes-exceeded/>`.");
    public static final ModuleOption<Integer> MAX_PAYLOAD_SIZE = SECTION.option("max_payload_size",
            ValueType.integer(1, 16 * 1024 * 1024), 256 * 1024,
            "Largest item payload in bytes; larger is refused with `not-acceptable` and `<payload-too-big/>`.");
    public static final ModuleOption<Integer> MAX_SUBSCRIPTIONS = SECTION.option("max_subscriptions",
            ValueType.integer(1, 1_000_000), 1000,
            "The most explicit subscriptions a node may have; one more is refused with `policy-violation` and `<too-many-subscriptions/>`.");
    public static final ModuleOption<Integer> CAPS_CACHE_SIZE = SECTION.option("caps_cache_size",
            ValueType.integer(1, 1_000_000), 10_000,
            "How many verified entity capabilities (XEP-0115) are remembered, and the most disco#info queries in flight.");

    /** The XEP-0060 features Parley's PEP service offers (§10), announced on the account. */
    static final List<String> FEATURES = List.of("access-open", "access-presence", "access-roster", "access-whitelist",
            "auto-create", "auto-subscribe", "config-node", "config-node-max", "create-and-configure", "create-nodes", "delete-items",
            "delete-nodes", "filtered-notifications", "last-published", "manage-affiliations", "manage-subscriptions",
            "meta-data", "modify-affiliations", "persistent-items", "presence-notifications", "publish", "publish-options", "purge-nodes",
            "retract-items", "retrieve-affiliations", "retrieve-default", "retrieve-default-sub", "retrieve-items",
            "retrieve-subscriptions", "rsm", "subscribe", "subscription-options");

    /** How often the expired items of nodes with {@code pubsub#item_expire} are purged; a read purges its node's too. */
    static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(10);

    private PepService service;

    @Override
    public String name() {
        return "pep";
    }

    /** Access models read the roster; the disco module answers what PEP leaves. */
    @Override
    public List<String> dependsOn() {
        return List.of("roster", "disco");
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(MAX_ITEMS, MAX_NODES, MAX_PAYLOAD_SIZE, MAX_SUBSCRIPTIONS, CAPS_CACHE_SIZE);
    }

    @Override
    public void load(ModuleContext context) {
        DataSource schema = context.schema(this, "classpath:db/pep");
        JdbcPepStore store = new JdbcPepStore(schema);
        JdbcPepSubscriptions subscriptionStore = new JdbcPepSubscriptions(schema);
        InterestedResources interests = new InterestedResources();
        Notifications notifications = new Notifications(context, interests);
        service = new PepService(context, store, subscriptionStore, notifications, new PepService.Limits(
                context.option(MAX_ITEMS), context.option(MAX_NODES), context.option(MAX_PAYLOAD_SIZE)));
        PepSubscriptions subscriptions = new PepSubscriptions(context, service, store, subscriptionStore, notifications,
                context.option(MAX_SUBSCRIPTIONS));
        // A local account's subscriptions to other accounts' nodes go with it (its own nodes go by
        // the database's cascade).
        DomainBareJid domain = context.host().domain();
        context.storage().accounts().afterDelete(account -> {
            if (account.getDomain().equals(domain)) {
                subscriptions.accountDeleted(account);
            }
        });
        int capsCacheSize = context.option(CAPS_CACHE_SIZE);
        CapsResolver resolver = new CapsResolver(new CapsCache(capsCacheSize), capsCacheSize, context.clock(),
                context::send);
        PresenceInterest presence = new PresenceInterest(interests, resolver, service, context.blocking());
        PepDisco disco = new PepDisco(context, service);

        // XEP-0163 §6.1: the account shows the pep identity and the pubsub features to its owner.
        // The server shows the features too, as Prosody does: clients such as smack-omemo and
        // smack-openpgp look for PEP support (and the whitelist model) on the server's domain.
        context.addAccountIdentity(new DiscoIdentity("pubsub", "pep"));
        context.addAccountFeature(Pubsub.NS);
        context.addServerFeature(Pubsub.NS);
        for (String feature : FEATURES) {
            context.addAccountFeature(Pubsub.NS + "#" + feature);
            context.addServerFeature(Pubsub.NS + "#" + feature);
        }
        PepRequests requests = new PepRequests(service, subscriptions, context.blocking(), context::send);
        context.handleAccountIq(Pubsub.NS, requests);
        context.handleAccountIq(Pubsub.OWNER, requests);
        context.hook(StanzaEvents.to("presence", Shape.BARE), EventPriority.OBSERVE, presence::onPresence);
        context.hook(StanzaEvents.to("presence", Shape.FULL), EventPriority.OBSERVE, presence::onPresence);
        context.hook(StanzaEvents.to("iq", Shape.BARE), EventPriority.CLAIM,
                event -> resolver.onResponse(event.stanza()) ? Verdict.HANDLED : Verdict.PASS);
        context.hook(StanzaEvents.iq("get", Shape.BARE, ServerInfo.DISCO_INFO), EventPriority.HANDLE + 10, disco::info);
        context.hook(StanzaEvents.iq("get", Shape.BARE, ServerInfo.DISCO_ITEMS), EventPriority.HANDLE + 10, disco::items);
        // XEP-0060 §16.4.4: expired items go on a thread of their own, never an event loop.
        PeriodicTask.every(context, "pep-expiry-" + domain, EXPIRY_INTERVAL, service::purgeExpired);
    }

    /** Deletes the expired items of the accounts' nodes (§16.4.4); how many. Blocking. */
    int purgeExpired() {
        return service.purgeExpired();
    }

    /** The PEP service of this module's host, for modules that keep data in PEP nodes. */
    public PepService service() {
        return service;
    }
}
