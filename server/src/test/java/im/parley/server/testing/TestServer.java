package im.parley.server.testing;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.server.ParleyServer;
import im.parley.server.account.AccountService;
import im.parley.server.c2s.C2sContext;
import im.parley.server.config.LimitsConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.config.StorageConfig;
import im.parley.server.event.EventBus;
import im.parley.server.host.Host;
import im.parley.server.host.HostRegistry;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.register.InBandRegistration;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import im.parley.server.tls.ServerTls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jxmpp.jid.DomainBareJid;

/**
 * The whole server object graph without sockets, for module and stream tests: the same router,
 * events, modules and JDBC storage (H2 in a temporary directory) as {@link ParleyServer}, with
 * clients that are Netty {@code EmbeddedChannel}s ({@link TestClient}). Blocking work runs
 * inline, so a test sees every effect as soon as {@code send} returns. TLS is not required.
 */
public final class TestServer implements AutoCloseable {

    private final Set<DomainBareJid> domains = new LinkedHashSet<>();
    private final HostRegistry hosts;
    private final RouteTable sessions;
    private final Database database;
    private final JdbcStorage storage;
    private final AccountService accounts;
    private final DefaultStanzaRouter router;
    private final C2sContext c2s;
    private final Map<DomainBareJid, DefaultModuleContext> moduleContexts = new java.util.LinkedHashMap<>();
    private final Map<DomainBareJid, ServerInfo> serverInfos = new java.util.LinkedHashMap<>();

    /** A server for the given domains with {@link ParleyServer#modules} loaded. */
    public TestServer(Path dataDir, String... domainNames) throws Exception {
        this(ParleyConfig.defaults().withDomains(List.of(domainNames)).withDataDir(dataDir));
    }

    public TestServer(ParleyConfig config) throws Exception {
        this(config, info -> ParleyServer.modules(config, info));
    }

    /** A server for one domain with exactly these modules (include the delivery module to deliver stanzas). */
    public TestServer(ParleyConfig config, List<XmppModule> modules) throws Exception {
        this(oneDomain(config), info -> modules);
    }

    private static ParleyConfig oneDomain(ParleyConfig config) {
        if (config.domains().size() != 1) {
            throw new IllegalArgumentException("module instances are loaded once per host: give a factory for several");
        }
        return config;
    }

    /**
     * A server whose modules are built from each host's server info (as {@link ParleyServer#modules}
     * does), once per hosted domain.
     */
    public TestServer(ParleyConfig config, Function<ServerInfo, List<XmppModule>> modules) throws Exception {
        for (String name : config.domains()) {
            domains.add(Jids.parseDomain(name));
        }
        database = Database.open(StorageConfig.defaults(), config.dataDir());
        storage = new JdbcStorage(database.dataSource());
        accounts = new AccountService(storage.accounts());
        hosts = new HostRegistry(domains);
        sessions = new InMemoryRouteTable(hosts);
        AccountSequencer sequencer = new AccountSequencer();
        router = new DefaultStanzaRouter(hosts, sessions, List.of(), sequencer);
        Executor inline = Runnable::run;
        DefaultModuleContext.Shared shared = new DefaultModuleContext.Shared(hosts, router, sessions, inline, storage,
                sequencer);
        for (DomainBareJid domain : domains) {
            Host host = hosts.find(domain).orElseThrow();
            DefaultModuleContext moduleContext = new DefaultModuleContext(shared, host);
            ServerInfo serverInfo = new ServerInfo(moduleContext::serverFeatures, moduleContext::serverInfoExtensions);
            for (XmppModule module : modules.apply(serverInfo)) {
                module.load(moduleContext);
            }
            moduleContexts.put(domain, moduleContext);
            serverInfos.put(domain, serverInfo);
        }
        LimitsConfig limits = new LimitsConfig(8192, 262144, 64, Duration.ofSeconds(60), 50, Duration.ofMinutes(1));
        c2s = new C2sContext(domains, false, new ServerTls(Map.of(), Map.of(), domains.iterator().next()),
                SaslMechanisms.defaults(), accounts, new AuthFailureThrottle(50, Duration.ofMinutes(1), Clock.systemUTC()),
                inline, sessions, router, limits, serverInfos::get,
                new InBandRegistration(config.features().registration(), accounts::create, Clock.systemUTC()),
                hosts, config.mobile());
    }

    /** Creates an account (password "secret" unless given). */
    public TestServer user(String bareJid) throws Exception {
        return user(bareJid, "secret");
    }

    public TestServer user(String bareJid, String password) throws Exception {
        accounts.create(Jids.parseEntityBare(bareJid), password);
        return this;
    }

    /** A new client connection (not yet logged in). */
    public TestClient connect() {
        return new TestClient(c2s);
    }

    /** A client logged in as {@code bareJid} (password "secret"), bound to {@code resource}. */
    public TestClient login(String bareJid, String resource) {
        TestClient client = connect();
        client.login(bareJid, "secret", resource);
        return client;
    }

    public RouteTable sessions() {
        return sessions;
    }

    /** The event bus of the first hosted domain. */
    public EventBus events() {
        return hosts.find(first()).orElseThrow().events();
    }

    public HostRegistry hosts() {
        return hosts;
    }

    private DomainBareJid first() {
        return domains.iterator().next();
    }

    public JdbcStorage storage() {
        return storage;
    }

    public AccountService accounts() {
        return accounts;
    }

    public DefaultStanzaRouter router() {
        return router;
    }

    /** The module context of the first hosted domain. */
    public DefaultModuleContext moduleContext() {
        return moduleContexts.get(first());
    }

    /** What the server says about itself in service discovery (XEP-0030), over the loaded modules. */
    public ServerInfo serverInfo() {
        return serverInfos.get(first());
    }

    @Override
    public void close() {
        database.close();
    }
}
