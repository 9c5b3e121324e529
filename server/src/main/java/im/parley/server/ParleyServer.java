package im.parley.server;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.tls.KeyMaterial;
import im.parley.s2s.S2sRouter;
import im.parley.server.s2s.S2sInitializer;
import im.parley.server.account.AccountService;
import im.parley.server.admin.AdminSocketServer;
import im.parley.server.admin.LocalAccountAdmin;
import im.parley.server.c2s.C2sContext;
import im.parley.server.component.ComponentRouter;
import im.parley.server.component.ComponentSecrets;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.contactinfo.ContactAddressesModule;
import im.parley.server.modules.disco.DiscoModule;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.last.LastActivityModule;
import im.parley.server.modules.ping.PingModule;
import im.parley.server.modules.presence.PresenceModule;
import im.parley.server.modules.register.InBandRegistration;
import im.parley.server.modules.register.RegisterModule;
import im.parley.server.modules.blocking.BlockingModule;
import im.parley.server.modules.carbons.CarbonsModule;
import im.parley.server.modules.offline.OfflineModule;
import im.parley.server.modules.privatedata.PrivateDataModule;
import im.parley.server.modules.push.InProcessAppServer;
import im.parley.server.modules.push.PushModule;
import im.parley.server.modules.vcard.VcardModule;
import im.parley.server.modules.roster.RosterModule;
import im.parley.server.modules.session.LegacySessionModule;
import im.parley.server.modules.time.EntityTimeModule;
import im.parley.server.modules.version.SoftwareVersionModule;
import im.parley.server.net.Transport;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.session.LocalSession;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.DataDirectory;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import im.parley.server.storage.Storage;
import im.parley.server.host.Host;
import im.parley.server.host.HostRegistry;
import im.parley.server.modules.delivery.DeliveryModule;
import im.parley.server.routing.FederationRoute;
import im.parley.server.routing.RouteHandler;
import java.util.HashMap;
import im.parley.server.http.HttpBindings;
import im.parley.server.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.concurrent.ThreadProperties;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one assembly class (STYLE.md #4): builds Parley's object graph with constructors from a
 * {@link ParleyConfig}, starts the listeners and stops everything in reverse order.
 */
public final class ParleyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);
    /** Version shown in the banner and in software-version answers. */
    public static final String VERSION = "0.1.0";

    private final ParleyConfig config;
    private HostRegistry hosts;
    private RouteTable sessions;
    private Database database;
    private AccountService accounts;
    private ServerTls tls;
    private RemoteRouter remoteRouter;
    private ComponentRouter componentRouter;
    private AutoCloseable pushAppServer;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ExecutorService blocking;
    private Listeners listeners;
    private HttpBindings http;
    private AdminSocketServer adminSocket;
    private boolean closed;

    public ParleyServer(ParleyConfig config) {
        this.config = config;
    }

    /** Opens storage, prepares TLS, loads modules and binds the listeners. */
    public void start() throws Exception {
        Set<DomainBareJid> domains = domains();
        DataDirectory.secure(config.dataDir());
        database = Database.open(config.storage(), config.dataDir());
        Storage storage = new JdbcStorage(database.dataSource());
        accounts = new AccountService(storage.accounts());
        Map<DomainBareJid, KeyMaterial> keys = HostedDomainTls.loadKeys(config, domains);
        tls = HostedDomainTls.serverTls(domains, keys, config.tls().provider());
        blocking = BlockingExecutor.create();

        Transport transport = new Transport();
        bossGroup = transport.newGroup("parley-accept", 1);
        workerGroup = transport.newGroup("parley-io", 0);

        hosts = new HostRegistry(domains);
        sessions = new InMemoryRouteTable(hosts);
        S2sRouter s2s = config.s2s().enabled()
                ? new S2sRouter(S2sInitializer.settings(config, domains, keys), workerGroup, transport.socketChannel(),
                        blocking)
                : null;
        remoteRouter = s2s;
        componentRouter = new ComponentRouter(ComponentSecrets.of(config.components()));
        List<RouteHandler> remote = new ArrayList<>(List.of(componentRouter));
        if (s2s != null) {
            remote.add(new FederationRoute(s2s));
        }
        AccountSequencer sequencer = new AccountSequencer();
        DefaultStanzaRouter router = new DefaultStanzaRouter(hosts, sessions, remote, sequencer);
        if (s2s != null) {
            s2s.start(router);
        }
        componentRouter.start(router);
        Map<DomainBareJid, ServerInfo> serverInfo = loadModules(
                new DefaultModuleContext.Shared(hosts, router, sessions, blocking, storage, sequencer));

        C2sContext c2s = c2sContext(domains, router, serverInfo);
        listeners = new Listeners(config, transport, bossGroup, workerGroup);
        List<String> banner = bindListeners(c2s, s2s);
        adminSocket = AdminSocketServer.start(config.dataDir(), new LocalAccountAdmin(accounts, sessions)).orElse(null);
        if (adminSocket != null) {
            banner.add("admin socket " + adminSocket.socket());
        }
        LOG.info("Parley {} serving {}; {}; storage {}; {}; TLS {}", VERSION, String.join(", ", config.domains()),
                String.join(", ", banner), storageDescription(), transport.name(), tls.providerName());
    }

    /**
     * The feature modules, in load order. Every feature is one module that hooks events and
     * registers IQ handlers through its context (STYLE.md #1, #2). {@code serverInfo} reads
     * the features and forms the modules register, for service discovery.
     */
    public static List<XmppModule> modules(ParleyConfig config, ServerInfo serverInfo) {
        return List.of(
                new DeliveryModule(),
                new LegacySessionModule(),
                new PingModule(),
                new DiscoModule(serverInfo),
                new SoftwareVersionModule(VERSION),
                new EntityTimeModule(Clock.systemDefaultZone()),
                new LastActivityModule(Clock.systemUTC()),
                new ContactAddressesModule(config.features().contactAddresses()),
                new RegisterModule(),
                new BlockingModule(),
                new CarbonsModule(),
                new OfflineModule(),
                new PushModule(config.push(), config.mobile().streamManagement().maxHibernation(), Clock.systemUTC()),
                new VcardModule(),
                new PrivateDataModule(),
                new RosterModule(),
                new PresenceModule());
    }

    /** The account service (add users in tests and tools). */
    public AccountService accounts() {
        return accounts;
    }

    /** The route table: the bound sessions (for tests and admin tools). */
    public RouteTable sessions() {
        return sessions;
    }

    /** The port the c2s (STARTTLS) listener is bound to, or -1. */
    public int c2sPort() {
        return port(Listeners.Kind.C2S);
    }

    /** The port the direct TLS listener is bound to, or -1. */
    public int directTlsPort() {
        return port(Listeners.Kind.DIRECT_TLS);
    }

    /** The port of the plain HTTP listener (BOSH, WebSocket, host-meta), or -1. */
    public int httpPort() {
        return port(Listeners.Kind.HTTP);
    }

    /** The port of the HTTPS listener, or -1. */
    public int httpsPort() {
        return port(Listeners.Kind.HTTPS);
    }

    /** The HTTP bindings (live BOSH sessions), or null when no HTTP listener runs. */
    public HttpBindings http() {
        return http;
    }

    /** The port the s2s (STARTTLS) listener is bound to, or -1. */
    public int s2sPort() {
        return port(Listeners.Kind.S2S);
    }

    /** The port the s2s direct TLS listener (XEP-0368) is bound to, or -1. */
    public int s2sDirectTlsPort() {
        return port(Listeners.Kind.S2S_DIRECT_TLS);
    }

    /** The port the external component listener (XEP-0114) is bound to, or -1. */
    public int componentPort() {
        return port(Listeners.Kind.COMPONENTS);
    }

    /** The s2s router, or null when federation is off. */
    public RemoteRouter remoteRouter() {
        return remoteRouter;
    }

    /** The certificate a hosted domain presents (e.g. to pin a self-signed one in a client). */
    public X509Certificate certificate(String domain) {
        try {
            return tls.certificate(Jids.parseDomain(domain))
                    .orElseThrow(() -> new IllegalArgumentException("not a hosted domain: " + domain));
        } catch (JidMalformedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Stops everything in reverse order within {@code shutdown.timeout}: listeners, components,
     * sessions (with {@code system-shutdown}, RFC 6120 §4.9.3.17), federation, event loops,
     * storage work in flight (drained, never interrupted), storage. An event loop that does not stop in time (a handler stuck on it) is left behind,
     * with its stack in the log, so that storage is still closed; its threads are daemons and
     * do not keep the process alive.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (adminSocket != null) {
            adminSocket.close();
        }
        long timeoutNanos = config.shutdownTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        if (listeners != null) {
            listeners.close(deadline);
        }
        if (pushAppServer != null) {
            try {
                pushAppServer.close();
            } catch (Exception e) {
                LOG.warn("cannot stop the push app server", e);
            }
        }
        if (componentRouter != null) {
            componentRouter.stop();
        }
        for (LocalSession session : sessions == null ? List.<LocalSession>of() : sessions.all()) {
            session.close(StreamError.of(StreamErrorCondition.SYSTEM_SHUTDOWN, "the server is shutting down"));
        }
        if (remoteRouter != null) {
            remoteRouter.stop();
        }
        if (workerGroup != null) {
            // A fifth of the time is kept for what follows: closing the database.
            stopEventLoops(deadline - timeoutNanos / 5);
        }
        if (blocking != null) {
            // A tenth is kept for closing the database.
            drainBlockingWork(deadline - timeoutNanos / 10);
        }
        if (database != null) {
            database.close();
        }
        LOG.info("Parley stopped");
    }

    /** For tests: the event loops the connections run on. */
    EventLoopGroup eventLoops() {
        return workerGroup;
    }

    private void stopEventLoops(long deadline) {
        Future<?> workers = workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        Future<?> boss = bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (workers.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                && boss.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return;
        }
        for (EventLoopGroup group : List.of(bossGroup, workerGroup)) {
            for (EventExecutor loop : group) {
                if (!loop.isTerminated() && loop instanceof SingleThreadEventExecutor single) {
                    ThreadProperties thread = single.threadProperties();
                    Throwable where = new Throwable("where " + thread.name() + " is");
                    where.setStackTrace(thread.stackTrace());
                    LOG.warn("event loop thread {} did not stop in time (a handler is stuck on it); going on without it",
                            thread.name(), where);
                }
            }
        }
    }

    /**
     * Lets storage work already started finish (messages being stored, a last logout written)
     * before the database closes, until {@code deadline}. Never interrupts it: an interrupt during
     * a write closes H2's file channel and the store with it.
     */
    private void drainBlockingWork(long deadline) {
        blocking.shutdown();
        try {
            if (!blocking.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warn("storage work still running at the shutdown deadline; closing the database anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loads the modules on each hosted domain, each with the context of its host (a module
     * instance per host, hooking that host's bus); returns each domain's service discovery
     * information.
     */
    private Map<DomainBareJid, ServerInfo> loadModules(DefaultModuleContext.Shared shared) {
        Map<DomainBareJid, ServerInfo> infos = new HashMap<>();
        for (Host host : shared.hosts().accountHosts()) {
            DefaultModuleContext moduleContext = new DefaultModuleContext(shared, host);
            ServerInfo serverInfo = new ServerInfo(moduleContext::serverFeatures, moduleContext::serverInfoExtensions);
            for (XmppModule module : modules(config, serverInfo)) {
                module.load(moduleContext);
            }
            infos.put(host.domain(), serverInfo);
        }
        return Map.copyOf(infos);
    }

    private C2sContext c2sContext(Set<DomainBareJid> domains, DefaultStanzaRouter router,
                                  Map<DomainBareJid, ServerInfo> serverInfo) {
        return new C2sContext(domains, config.tls().starttlsRequired(), tls, SaslMechanisms.defaults(),
                accounts, new AuthFailureThrottle(config.limits().maxAuthFailures(), config.limits().authFailureWindow(),
                Clock.systemUTC()), blocking, sessions, router, config.limits(), serverInfo::get,
                new InBandRegistration(config.features().registration(), accounts::create, Clock.systemUTC()),
                hosts, config.mobile());
    }

    /**
     * Binds every listener the config enables, in banner order, and starts the push app server
     * on the component listener; returns the banner's lines.
     */
    private List<String> bindListeners(C2sContext c2s, S2sRouter s2s) throws Exception {
        listeners.bindClients(c2s);
        http = listeners.bindHttp(c2s);
        if (s2s != null) {
            listeners.bindFederation(s2s);
        }
        if (config.push().appServer().enabled() && !config.components().listener().enabled()) {
            throw new IllegalStateException("push.app_server needs component.enabled: it connects as a component");
        }
        Channel componentListener = listeners.bindComponents(componentRouter);
        List<String> banner = new ArrayList<>(listeners.descriptions());
        if (componentListener != null && config.push().appServer().enabled()) {
            banner.add(startPushAppServer(componentListener));
        }
        return banner;
    }

    /** The in-process push app server (XEP-0357), connected as a component; returns its banner line. */
    private String startPushAppServer(Channel componentListener) throws Exception {
        pushAppServer = InProcessAppServer.start(config, componentListener);
        return "push app server " + config.push().appServer().domain();
    }

    private String storageDescription() {
        String url = config.storage().jdbcUrl();
        return url == null ? "embedded H2 in " + config.dataDir().toAbsolutePath().normalize() : url;
    }

    private Set<DomainBareJid> domains() throws JidMalformedException {
        Set<DomainBareJid> domains = new LinkedHashSet<>();
        for (String domain : config.domains()) {
            domains.add(Jids.parseDomain(domain));
        }
        return domains;
    }

    private int port(Listeners.Kind kind) {
        return listeners == null ? -1 : listeners.port(kind);
    }
}
