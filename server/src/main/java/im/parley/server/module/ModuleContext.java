package im.parley.server.module;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.c2s.C2sSession;
import im.parley.server.config.ModuleOption;
import im.parley.server.event.AccountWork;
import im.parley.server.event.EventHandler;
import im.parley.server.event.EventType;
import im.parley.server.host.Host;
import im.parley.server.http.HttpService;
import im.parley.server.metrics.ServerMetrics;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.Storage;
import im.parley.server.routing.RecipientLanes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * What a module may use: its host and that host's events, IQ handlers, stream and disco
 * features, the route table, its options, storage and stanza sending. A module is loaded once per
 * hosted domain (unless it is {@link XmppModule#global() global}), with that host's context:
 * what it hooks and registers applies to its host only.
 */
public interface ModuleContext {

    /** The host this module instance serves. */
    Host host();

    /**
     * Adds an in-process component host served by this module, e.g. {@code conference.example.org}
     * for a group chat module on {@code example.org}, and returns the context for it: hooks and
     * IQ handlers registered there apply to stanzas for that host. Call while loading.
     *
     * @throws IllegalStateException if the domain is already served
     */
    ModuleContext addComponentHost(DomainBareJid domain);

    /**
     * The domain of a service this module runs on a component host: the label an option of the
     * module names before this host's domain ({@code upload} gives {@code upload.example.org}).
     *
     * @throws IllegalArgumentException if the label makes no valid domain
     */
    default DomainBareJid componentDomain(ModuleOption<String> label) {
        try {
            return Jids.parseDomain(option(label) + "." + host().domain());
        } catch (JidMalformedException e) {
            throw new IllegalArgumentException(label + ": not a domain label: " + e.getMessage(), e);
        }
    }

    /**
     * Handles IQ requests addressed to the host itself (RFC 6120 §10.3) whose payload child is in
     * {@code namespace}: hooks {@code iq-get/host/<namespace>} and {@code iq-set/host/<namespace>}
     * at {@link im.parley.server.event.EventPriority#HANDLE} and routes the handler's answer.
     */
    void handleServerIq(String namespace, IqHandler handler);

    /**
     * Handles IQ requests a server answers on behalf of a local account: addressed to the
     * account's bare JID or without {@code to} (RFC 6120 §10.3.3, RFC 6121 §8.5.2.1.3); hooks
     * {@code iq-get/bare/<namespace>} and {@code iq-set/bare/<namespace>}.
     */
    void handleAccountIq(String namespace, IqHandler handler);

    /**
     * Announces a feature an account supports through its server (XEP-0030 §8: disco#info to
     * the account's bare JID), e.g. push notifications (XEP-0357 §4).
     */
    void addAccountFeature(String discoFeature);

    /** The account features announced so far. */
    Set<String> accountFeatures();

    /**
     * Announces an identity the server shows on an account's behalf to the account itself
     * (XEP-0030 §8), besides {@code account/registered}: e.g. {@code pubsub/pep} (XEP-0163 §6.1).
     */
    void addAccountIdentity(DiscoIdentity identity);

    /** The account identities announced so far. */
    Set<DiscoIdentity> accountIdentities();

    /** Announces a feature (a XEP-0030 {@code var}) the server supports. */
    void addServerFeature(String discoFeature);

    /**
     * Adds a {@code jabber:x:data} form of type {@code result} with a hidden {@code FORM_TYPE}
     * field to the server's service discovery information (XEP-0128 §2), e.g. contact
     * addresses (XEP-0157). The form must not be modified afterwards.
     */
    void addServerInfoExtension(Element form);

    /** The hosted domains. */
    Set<DomainBareJid> domains();

    /** Routes a stanza originated by the server. */
    void send(Stanza stanza);

    /**
     * Routes a stanza the server sends on behalf of another stanza's handling (a reply, a
     * forwarded subscription): its asynchronous work is tracked there.
     */
    void send(Stanza stanza, Handling handling);

    /**
     * Lanes for sending many stanzas at once (a room's message to each occupant): hand each send
     * to its recipient's lane and they are routed on several cores, each recipient's in order.
     */
    RecipientLanes lanes();

    /**
     * Hooks an event on this module's host (higher priorities run first; see
     * {@link im.parley.server.event.EventBus} and {@link im.parley.server.event.EventPriority}).
     */
    <E> void hook(EventType<E> type, int priority, EventHandler<E> handler);

    /** Fires an event on this module's host (modules may define their own event types). */
    <E> boolean fire(EventType<E> type, E event);

    /**
     * Fires an event on this module's host and runs {@code unhandled} if no handler handles it,
     * now or when a handler that suspended it resumes it.
     */
    <E> void fire(EventType<E> type, E event, Runnable unhandled);

    /** Who is online where: the route table. */
    RouteTable sessions();

    /**
     * The server's meters (one registry per server, never a global one): a module registers its
     * meters in {@code metrics().registry()} once, while loading, and keeps them, so that counting
     * costs an increment (docs/operations.md lists the names). A figure that costs a query is
     * sampled, never read per scrape ({@link im.parley.server.metrics.SampledValue}).
     */
    ServerMetrics metrics();

    /** Executor for blocking work (storage); never block an event loop or an event handler. */
    Executor blocking();

    /**
     * An executor that runs a task once {@code pause} has passed, never on the caller's thread
     * (a socket-less test server runs it at once, inline): for work handed over to the blocking
     * pool again after the pool refused it ({@link PoolWork#supplyPatiently}).
     */
    Executor after(Duration pause);

    /** The server process as a whole: what a module may ask of it (stopping it, for an administrator). */
    ServerControl server();

    /** The storage SPIs. */
    Storage storage();

    /**
     * Runs {@code step} after every earlier step started for {@code account} through this
     * method, by any module: keeps an account's roster changes and their pushes in order. While
     * a step is in flight the router routes stanzas for the account, and from its clients,
     * behind it (RFC 6120 §10.1). A step never waits for another account's step to finish
     * inside it.
     */
    <T> CompletionStage<T> serially(EntityBareJid account, Supplier<? extends CompletionStage<T>> step);

    /**
     * Work in new turns of {@code account}, behind everything in flight for it: for what no
     * stanza being routed causes (a session that ended, a resource that came online). Within a
     * stanza's handling use the event's {@code work()} instead: a new turn from inside a turn
     * runs after the account's stanzas queued meanwhile.
     */
    AccountWork newTurns(EntityBareJid account);

    /**
     * The value of an option a module declared ({@link XmppModule#options()}): as set in the
     * configuration file, else its default. Usually its own; another module's option may be read
     * (it is a value of the configuration, whether or not that module runs).
     */
    <T> T option(ModuleOption<T> option);

    /** The clock to read the time from (tests move it); its zone is the server's. */
    Clock clock();

    /** The server's version, e.g. for software version answers (XEP-0092). */
    String serverVersion();

    /**
     * What this host says about itself in service discovery (XEP-0030 §3.1) and its entity
     * capabilities (XEP-0115): read live, complete once every module has loaded.
     */
    ServerInfo serverInfo();

    /**
     * Offers a stream feature to clients (RFC 6120 §4.3.2) and lets it negotiate, at
     * {@code order} among the core's features ({@link C2sFeatures}: STARTTLS 100, SASL 300,
     * channel binding types 400, bind 500): before SASL for a pre-authentication feature,
     * after bind for one offered to authenticated clients. Stream features are the server's,
     * negotiated before a module of the stream's host is involved: those the modules of the first
     * hosted domain add are offered on every stream, and the other hosts' instances add none.
     *
     * @param factory makes the feature for one connection (features hold per-stream state)
     */
    void addStreamFeature(int order, Supplier<? extends FeatureNegotiator<C2sSession>> factory);

    /**
     * The module's own tables: brings them up to date with the Flyway migrations at
     * {@code location} (e.g. {@code classpath:db/archive}, found through the module's class
     * loader), recorded in a history table of the module's own ({@code flyway_history_<name>}),
     * and returns the database for the module's stores. Blocks; call it from
     * {@link XmppModule#load}.
     */
    DataSource schema(XmppModule module, String location);

    /**
     * This host's loaded instance of another module, for a module that uses its API (bookmarks
     * keep data in PEP through {@code PepModule.service()}): {@code requester} must name it in
     * {@link XmppModule#dependsOn()}, which also makes it load first. Call from
     * {@link XmppModule#load}.
     *
     * @throws IllegalStateException if {@code requester} does not depend on it or it has not loaded on this host
     */
    <T extends XmppModule> T module(XmppModule requester, Class<T> type);

    /**
     * Serves the HTTP requests whose path starts with {@code prefix} (e.g. {@code /upload/}), or is
     * {@code prefix} when it does not end with {@code /} (e.g. {@code /metrics}), on the
     * server's HTTP and HTTPS listeners, whichever run ({@link RunningServer#httpListener()}):
     * head and body pieces as they arrive, never aggregated ({@link HttpService}). Call while
     * loading.
     *
     * @throws IllegalStateException if another module serves the prefix
     */
    void handleHttp(String prefix, HttpService service);

    /** The data directory ({@code data_dir}, 0700): a module keeps its files in a directory of its own there. */
    Path dataDir();

    /** Runs {@code hook} once the server's listeners are bound (not in socket-less test servers). */
    void onStarted(StartHook hook);

    /** Closes {@code resource} when the server stops, after the listeners and before the sessions. */
    void onStop(AutoCloseable resource);
}
