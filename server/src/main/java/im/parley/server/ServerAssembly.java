package im.parley.server;

import im.parley.core.routing.StanzaIntake;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.SaslMechanism;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.server.account.AccountService;
import im.parley.server.admin.LocalAccountAdmin;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.c2s.IntakeLimit;
import im.parley.server.cluster.Cluster;
import im.parley.server.cluster.ClusterSecrets;
import im.parley.server.cluster.JdbcClusterSecrets;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.EventBus;
import im.parley.server.host.HostRegistry;
import im.parley.server.http.HttpServices;
import im.parley.server.metrics.ServerMetrics;
import im.parley.server.metrics.SessionGauges;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.module.ModuleEnvironment;
import im.parley.server.module.ModuleSet;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.metrics.MetricsModule;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.routing.TurnTimeouts;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import im.parley.server.storage.ModuleSchemas;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one assembly of Parley's object graph (STYLE.md #4): storage, accounts, the hosts and their
 * buses, the route table, the router, the modules (discovered, {@link ModuleCatalog}; an instance
 * per hosted domain) and what client streams share ({@link C2sContext}), built with constructors
 * from a {@link ParleyConfig}. Its users configure
 * it and add only their own: {@link ParleyServer} adds sockets, TLS and federation; the tests'
 * socket-less server runs blocking work inline; {@code EmbeddedParley} starts a
 * {@code ParleyServer}. Closing it closes the database.
 */
public final class ServerAssembly implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerAssembly.class);

    private final ParleyConfig config;
    private final Set<DomainBareJid> domains;
    private final HostRegistry hosts;
    private final RouteTable sessions;
    private final C2sFeatures streamFeatures = new C2sFeatures();
    private final Database database;
    private final JdbcStorage storage;
    private final AccountService accounts;
    private final LocalAccountAdmin accountAdmin;
    private final DefaultStanzaRouter router;
    private final AccountSequencer sequencer;
    private final TurnTimeouts turnTimeouts = new TurnTimeouts();
    private final Map<DomainBareJid, DefaultModuleContext> moduleContexts = new LinkedHashMap<>();
    private final List<String> moduleNames;
    /** Whether {@link #stopped} has run. */
    private boolean modulesStopped;
    private final Map<DomainBareJid, List<String>> moduleNamesByDomain;
    private final C2sContext c2s;
    /** The bound on stanzas from other servers in flight, apart from the clients' (RFC 6120 §13.12). */
    private final IntakeLimit s2sIntake;
    private final HttpServices httpServices = new HttpServices();
    private final ServerMetrics metrics;
    /** This server as a cluster node, or null when {@code cluster.enabled} is false. */
    private final Cluster cluster;

    ServerAssembly(ServerAssemblyBuilder builder, Set<DomainBareJid> domains, Database database, HostRegistry hosts,
                           Cluster cluster) {
        this.config = builder.config;
        this.domains = domains;
        this.database = database;
        this.storage = new JdbcStorage(database.dataSource());
        this.accounts = new AccountService(storage.accounts());
        this.hosts = hosts;
        this.cluster = cluster;
        this.sessions = cluster != null ? cluster.routes() : new InMemoryRouteTable(hosts, builder.caches);
        SaslMechanisms mechanisms = SaslMechanisms.defaults();
        this.metrics = new ServerMetrics(mechanisms.all().stream().map(SaslMechanism::name).toList(),
                config.option(MetricsModule.ENABLED));
        SessionGauges.register(metrics.registry(), sessions);
        this.accountAdmin = new LocalAccountAdmin(accounts, storage.motd(), sessions, builder.clock);
        sequencer = new AccountSequencer();
        router = new DefaultStanzaRouter(hosts, sessions, builder.routeHandlers, sequencer, turnTimeouts);
        DefaultModuleContext.Shared shared = new DefaultModuleContext.Shared(hosts, router, sessions, builder.blocking,
                storage, sequencer, httpServices, metrics, builder.lanes, builder.pauses, builder.control);
        ModuleSchemas schemas = new ModuleSchemas(database.dataSource());
        ModuleCatalog catalog = builder.catalog;
        Map<DomainBareJid, List<String>> names = new LinkedHashMap<>();
        for (DomainBareJid domain : domains) {
            boolean first = moduleContexts.isEmpty();
            ModuleSet modules = ModuleSet.resolve(catalog, config.modules().disabledOn(domain.toString()));
            // Stream features are the server's: the first hosted domain's modules add them.
            C2sFeatures features = first ? streamFeatures : new C2sFeatures();
            DefaultModuleContext context = new DefaultModuleContext(shared, hosts.find(domain).orElseThrow(),
                    new ModuleEnvironment(config, builder.clock, ParleyServer.VERSION, features, schemas));
            for (XmppModule module : modules.modules()) {
                if (first || !module.global()) {
                    module.load(context);
                }
                // A global module, loaded once, is every host's.
                context.loaded(module);
            }
            moduleContexts.put(domain, context);
            names.put(domain, modules.names());
            catalog = catalog.forAnotherHost();
        }
        moduleNames = names.get(domains.iterator().next());
        moduleNamesByDomain = Map.copyOf(names);
        if (cluster != null) {
            cluster.start(router, router, metrics.registry());
        }
        IntakeLimit intake = new IntakeLimit(IntakeLimit.DEFAULT_MAX);
        intake.meter(metrics.registry());
        s2sIntake = new IntakeLimit(IntakeLimit.DEFAULT_MAX, IntakeLimit.Streams.SERVERS);
        s2sIntake.meter(metrics.registry());
        c2s = new C2sContext(domains, config.tls().starttlsRequired(), builder.tls, mechanisms, accounts,
                new AuthFailureThrottle(config.limits().maxAuthFailures(), config.limits().authFailureWindow(),
                        builder.clock),
                builder.blocking, sessions, router, config.limits(), hosts, streamFeatures, metrics, intake);
    }

    /** Starts describing the graph for {@code config}. */
    public static ServerAssemblyBuilder builder(ParleyConfig config) {
        return new ServerAssemblyBuilder(config);
    }

    public ParleyConfig config() {
        return config;
    }

    /** The hosted domains, prepared. */
    public Set<DomainBareJid> domains() {
        return domains;
    }

    /** The hosts: each hosted domain and the component hosts modules added. */
    public HostRegistry hosts() {
        return hosts;
    }

    /** The event bus of the first hosted domain (tests that watch one domain). */
    public EventBus events() {
        return hosts.find(domains.iterator().next()).orElseThrow().events();
    }

    public RouteTable sessions() {
        return sessions;
    }

    public JdbcStorage storage() {
        return storage;
    }

    public AccountService accounts() {
        return accounts;
    }

    /** The administrators' operations on accounts and sessions, for the admin socket. */
    public LocalAccountAdmin accountAdmin() {
        return accountAdmin;
    }

    public DefaultStanzaRouter router() {
        return router;
    }

    /**
     * The secrets the nodes of this server's cluster share (the dialback secret), in their
     * database, whose table is created on the first call; empty without a cluster. Blocking.
     */
    public Optional<ClusterSecrets> clusterSecrets() {
        return cluster == null ? Optional.empty()
                : Optional.of(JdbcClusterSecrets.migrate(new ModuleSchemas(database.dataSource())));
    }

    /** What the modules of the first hosted domain registered (features, start and stop hooks). */
    public DefaultModuleContext moduleContext() {
        return moduleContexts.get(domains.iterator().next());
    }

    /** Each hosted domain's module context, in configuration order. */
    public List<DefaultModuleContext> moduleContexts() {
        return List.copyOf(moduleContexts.values());
    }

    /** What a hosted domain says about itself in service discovery (XEP-0030). */
    public ServerInfo serverInfo(DomainBareJid domain) {
        return moduleContexts.get(domain).serverInfo();
    }

    /** Runs every host's module start hooks; returns their banner lines. */
    public List<String> started(im.parley.server.module.RunningServer server) throws Exception {
        List<String> banner = new ArrayList<>();
        for (DefaultModuleContext context : moduleContexts.values()) {
            banner.addAll(context.started(server));
        }
        return banner;
    }

    /** Closes what every host's modules asked to close at stop, once (again at {@link #close}: a no-op). */
    public void stopped() {
        if (modulesStopped) {
            return;
        }
        modulesStopped = true;
        List<DefaultModuleContext> contexts = new ArrayList<>(moduleContexts.values());
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).stopped();
        }
    }

    /** The modules that run on the first hosted domain, in load order. */
    public List<String> moduleNames() {
        return moduleNames;
    }

    /** The modules that run on a hosted domain, in load order ({@code modules.disabled_on}). */
    public List<String> moduleNames(DomainBareJid domain) {
        return moduleNamesByDomain.getOrDefault(domain, List.of());
    }

    /** The bound on stanzas from other servers still being handled, for the federation's inbound streams. */
    public StanzaIntake s2sIntake() {
        return s2sIntake;
    }

    /** What every client stream shares, the stream features modules added included. */
    public C2sContext c2s() {
        return c2s;
    }

    /** What modules serve on the HTTP listeners, by path prefix. */
    public HttpServices httpServices() {
        return httpServices;
    }

    /**
     * Whether the database answers a validity check within {@code timeout} (JDBC
     * {@code Connection.isValid}). Blocking.
     */
    public boolean databaseAnswers(Duration timeout) {
        try (Connection connection = database.dataSource().getConnection()) {
            return connection.isValid((int) Math.max(1, timeout.toSeconds()));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the database does not answer: {}", e.getMessage());
            return false;
        }
    }

    /** The server's meters: what the metrics endpoint shows. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * The sessions have ended and the connections are closed: a cluster node settles what it
     * sent to the other nodes (waits for their confirmations, stores offline what stays
     * unconfirmed) while storage still runs. Blocks up to {@code patience}.
     */
    public void sessionsEnded(Duration patience) {
        if (cluster != null) {
            cluster.settle(patience);
        }
    }

    /**
     * Waits until no account's turn holds a step any more (what the ending sessions started: a
     * message they never got to their clients on its way to offline storage, XEP-0198 §5), or
     * until {@code deadlineNanos}; call while the blocking executor still runs, before it stops.
     * Blocks.
     */
    public void stepsFinished(long deadlineNanos) {
        try {
            if (!sequencer.awaitIdle(deadlineNanos)) {
                LOG.warn("{} accounts still had steps in flight at the shutdown deadline", sequencer.accountsInFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the modules' resources if {@link #stopped} has not (a module's own files, such as the
     * archive index, are closed before a server on the same data directory opens them again),
     * leaves the cluster, closes the database and the meters.
     */
    @Override
    public void close() {
        stopped();
        turnTimeouts.close();
        if (cluster != null) {
            cluster.close();
        }
        database.close();
        metrics.close();
    }
}
