package im.parley.server.testing;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.s2s.FederationDisabledRouter;
import im.parley.server.ParleyServer;
import im.parley.server.account.AccountService;
import im.parley.server.c2s.C2sContext;
import im.parley.server.config.LimitsConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.config.StorageConfig;
import im.parley.server.event.EventBus;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.IqHandlers;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.register.InBandRegistration;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.session.SessionRegistry;
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
    private final EventBus events = new EventBus();
    private final SessionRegistry sessions = new SessionRegistry(events);
    private final Database database;
    private final JdbcStorage storage;
    private final AccountService accounts;
    private final DefaultStanzaRouter router;
    private final C2sContext c2s;
    private final DefaultModuleContext moduleContext;
    private final ServerInfo serverInfo;

    /** A server for the given domains with {@link ParleyServer#modules} loaded. */
    public TestServer(Path dataDir, String... domainNames) throws Exception {
        this(ParleyConfig.defaults().withDomains(List.of(domainNames)).withDataDir(dataDir));
    }

    public TestServer(ParleyConfig config) throws Exception {
        this(config, info -> ParleyServer.modules(config, info));
    }

    public TestServer(ParleyConfig config, List<XmppModule> modules) throws Exception {
        this(config, info -> modules);
    }

    /** A server whose modules are built from the server info (as {@link ParleyServer#modules} does). */
    public TestServer(ParleyConfig config, Function<ServerInfo, List<XmppModule>> modules) throws Exception {
        for (String name : config.domains()) {
            domains.add(Jids.parseDomain(name));
        }
        database = Database.open(StorageConfig.defaults(), config.dataDir());
        storage = new JdbcStorage(database.dataSource());
        accounts = new AccountService(storage.accounts());
        IqHandlers iqHandlers = new IqHandlers();
        FederationDisabledRouter remote = new FederationDisabledRouter();
        AccountSequencer sequencer = new AccountSequencer();
        router = new DefaultStanzaRouter(domains, sessions, iqHandlers, remote, events, sequencer);
        remote.start(router);
        Executor inline = Runnable::run;
        moduleContext = new DefaultModuleContext(domains, iqHandlers, router, events, sessions, inline, storage,
                sequencer);
        serverInfo = new ServerInfo(moduleContext::serverFeatures, moduleContext::serverInfoExtensions);
        for (XmppModule module : modules.apply(serverInfo)) {
            module.load(moduleContext);
        }
        LimitsConfig limits = new LimitsConfig(8192, 262144, 64, Duration.ofSeconds(60), 50, Duration.ofMinutes(1));
        c2s = new C2sContext(domains, false, new ServerTls(Map.of(), Map.of(), domains.iterator().next()),
                SaslMechanisms.defaults(), accounts, new AuthFailureThrottle(50, Duration.ofMinutes(1), Clock.systemUTC()),
                inline, sessions, router, limits, serverInfo,
                new InBandRegistration(config.features().registration(), accounts::create, Clock.systemUTC()),
                events, config.mobile());
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

    public SessionRegistry sessions() {
        return sessions;
    }

    public EventBus events() {
        return events;
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

    public DefaultModuleContext moduleContext() {
        return moduleContext;
    }

    /** What the server says about itself in service discovery (XEP-0030), over the loaded modules. */
    public ServerInfo serverInfo() {
        return serverInfo;
    }

    @Override
    public void close() {
        database.close();
    }
}
