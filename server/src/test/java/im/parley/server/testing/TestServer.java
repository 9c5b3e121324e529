package im.parley.server.testing;

import im.parley.core.jid.Jids;
import im.parley.server.ParleyServer;
import im.parley.server.ServerAssembly;
import im.parley.server.account.AccountService;
import im.parley.server.admin.LocalAccountAdmin;
import im.parley.server.config.LimitsConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.EventBus;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.module.ServerControl;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.host.HostRegistry;
import im.parley.server.http.HttpServices;
import im.parley.server.session.RouteTable;
import im.parley.server.session.SharedCaches;
import im.parley.server.storage.JdbcStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The whole server object graph without sockets, for module and stream tests: the same
 * {@link ServerAssembly} as {@link ParleyServer} (router, events, discovered modules, JDBC
 * storage on H2 in a temporary directory), with clients that are Netty {@code EmbeddedChannel}s
 * ({@link TestClient}). Blocking work runs inline, so a test sees every effect as soon as
 * {@code send} returns. TLS is not required.
 */
public final class TestServer implements AutoCloseable {

    /** Lenient limits for tests that send as fast as they can and fail to log in on purpose. */
    private static final LimitsConfig LIMITS =
            new LimitsConfig(8192, 262144, 64, Duration.ofSeconds(60), 50, Duration.ofMinutes(1));

    private final ServerAssembly assembly;

    /** A server for the given domains with the modules on the class path loaded. */
    public TestServer(Path dataDir, String... domainNames) throws Exception {
        this(ParleyConfig.defaults().withDomains(List.of(domainNames)).withDataDir(dataDir));
    }

    /** A server with the modules on the class path loaded, as {@code modules.disabled} leaves them. */
    public TestServer(ParleyConfig config) throws Exception {
        this(config, Clock.systemDefaultZone(), ModuleCatalog.discover());
    }

    /** A server with exactly {@code modules} loaded. */
    public TestServer(ParleyConfig config, List<XmppModule> modules) throws Exception {
        this(config, Clock.systemDefaultZone(), ModuleCatalog.of(modules));
    }

    /** A server whose modules read {@code clock}. */
    public TestServer(ParleyConfig config, Clock clock, ModuleCatalog modules) throws Exception {
        this(config, clock, modules, Runnable::run);
    }

    /** A server whose blocking work goes to {@code blocking} (a test's own pool, or one that refuses). */
    public TestServer(ParleyConfig config, Clock clock, ModuleCatalog modules, Executor blocking) throws Exception {
        this(config, clock, modules, blocking, SharedCaches.LOCAL);
    }

    /** A server that hears of, and tells, changes of stored state through {@code caches}: a test playing other nodes. */
    public TestServer(ParleyConfig config, Clock clock, ModuleCatalog modules, Executor blocking, SharedCaches caches)
            throws Exception {
        this(config, clock, modules, blocking, caches, ServerControl.NONE);
    }

    /** A server with the modules on the class path that can be stopped from inside through {@code control}. */
    public TestServer(ParleyConfig config, ServerControl control) throws Exception {
        this(config, Clock.systemDefaultZone(), ModuleCatalog.discover(), Runnable::run, SharedCaches.LOCAL, control);
    }

    private TestServer(ParleyConfig config, Clock clock, ModuleCatalog modules, Executor blocking, SharedCaches caches,
                       ServerControl control) throws Exception {
        assembly = ServerAssembly.builder(config.withLimits(LIMITS).withTls(config.tls().withStarttlsRequired(false)))
                .clock(clock).modules(modules).blocking(blocking).caches(caches).control(control).build();
    }

    /** The modules on the class path, except those that are instances of {@code left}, then {@code added}. */
    public static List<XmppModule> discoveredModulesReplacing(Class<? extends XmppModule> left, XmppModule added) {
        List<XmppModule> modules = new ArrayList<>();
        for (XmppModule module : ModuleCatalog.discover().modules()) {
            if (!left.isInstance(module)) {
                modules.add(module);
            }
        }
        modules.add(added);
        return modules;
    }

    /** Creates an account (password "secret" unless given). */
    public TestServer user(String bareJid) throws Exception {
        return user(bareJid, "secret");
    }

    public TestServer user(String bareJid, String password) throws Exception {
        assembly.accounts().create(Jids.parseEntityBare(bareJid), password);
        return this;
    }

    /** A new client connection (not yet logged in). */
    public TestClient connect() {
        return new TestClient(assembly.c2s());
    }

    /** A client logged in as {@code bareJid} (password "secret"), bound to {@code resource}. */
    public TestClient login(String bareJid, String resource) {
        TestClient client = connect();
        client.login(bareJid, "secret", resource);
        return client;
    }

    public RouteTable sessions() {
        return assembly.sessions();
    }

    /** The hosts: the hosted domains and the component hosts modules added. */
    public HostRegistry hosts() {
        return assembly.hosts();
    }

    /** The event bus of the first hosted domain. */
    public EventBus events() {
        return assembly.events();
    }

    public JdbcStorage storage() {
        return assembly.storage();
    }

    public AccountService accounts() {
        return assembly.accounts();
    }

    /** What the admin socket runs for the parley command. */
    public LocalAccountAdmin accountAdmin() {
        return assembly.accountAdmin();
    }

    public DefaultStanzaRouter router() {
        return assembly.router();
    }

    /** The module context of the first hosted domain. */
    public DefaultModuleContext moduleContext() {
        return assembly.moduleContext();
    }

    /** What the first hosted domain says about itself in service discovery (XEP-0030). */
    public ServerInfo serverInfo() {
        return assembly.moduleContext().serverInfo();
    }

    /** What modules serve over HTTP (no listener runs here: tests call the services directly). */
    public HttpServices httpServices() {
        return assembly.httpServices();
    }

    /** The modules that run, in load order. */
    public List<String> modules() {
        return assembly.moduleNames();
    }

    @Override
    public void close() {
        assembly.close();
    }
}
