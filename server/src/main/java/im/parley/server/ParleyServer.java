package im.parley.server;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.tls.DomainCertificates;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.TlsContexts;
import im.parley.core.tls.TlsProvider;
import im.parley.core.xml.XmlLimits;
import im.parley.s2s.FederationDisabledRouter;
import im.parley.s2s.S2sRouter;
import im.parley.server.s2s.S2sInitializer;
import im.parley.server.account.AccountService;
import im.parley.server.c2s.C2sChannelInitializer;
import im.parley.server.c2s.C2sContext;
import im.parley.server.component.ComponentChannelInitializer;
import im.parley.server.component.ComponentRouter;
import im.parley.server.component.ComponentSecrets;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.IqHandlers;
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
import im.parley.server.session.SessionRegistry;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import im.parley.server.storage.Storage;
import im.parley.server.event.EventBus;
import im.parley.server.http.HttpBindings;
import im.parley.server.http.HttpChannelInitializer;
import im.parley.server.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final List<Channel> listeners = new ArrayList<>();
    private final EventBus events = new EventBus();
    private final SessionRegistry sessions = new SessionRegistry(events);
    private Database database;
    private AccountService accounts;
    private ServerTls tls;
    private RemoteRouter remoteRouter;
    private ComponentRouter componentRouter;
    private AutoCloseable pushAppServer;
    private int componentPort = -1;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ExecutorService blocking;
    private int c2sPort = -1;
    private int directTlsPort = -1;
    private int httpPort = -1;
    private int httpsPort = -1;
    private HttpBindings http;
    private int s2sPort = -1;
    private int s2sDirectTlsPort = -1;
    private boolean closed;

    public ParleyServer(ParleyConfig config) {
        this.config = config;
    }

    /** Opens storage, prepares TLS, loads modules and binds the listeners. */
    public void start() throws Exception {
        Set<DomainBareJid> domains = domains();
        database = Database.open(config.storage(), config.dataDir());
        Storage storage = new JdbcStorage(database.dataSource());
        accounts = new AccountService(storage.accounts());
        Map<DomainBareJid, KeyMaterial> keys = loadKeys(domains);
        tls = serverTls(domains, keys, config.tls().provider());
        blocking = blockingExecutor();

        Transport transport = new Transport();
        bossGroup = transport.newGroup("parley-accept", 1);
        workerGroup = transport.newGroup("parley-io", 0);

        IqHandlers iqHandlers = new IqHandlers();
        S2sRouter s2s = null;
        if (config.s2s().enabled()) {
            s2s = new S2sRouter(S2sInitializer.settings(config, domains, keys), workerGroup,
                    transport.socketChannel(), blocking);
            remoteRouter = s2s;
        } else {
            remoteRouter = new FederationDisabledRouter();
        }
        componentRouter = new ComponentRouter(ComponentSecrets.of(config.components()), remoteRouter);
        DefaultStanzaRouter router = new DefaultStanzaRouter(domains, sessions, iqHandlers, componentRouter, events);
        remoteRouter.start(router);
        componentRouter.start(router);
        DefaultModuleContext moduleContext = new DefaultModuleContext(domains, iqHandlers, router, events, sessions,
                blocking, storage);
        ServerInfo serverInfo = new ServerInfo(moduleContext::serverFeatures, moduleContext::serverInfoExtensions);
        for (XmppModule module : modules(config, serverInfo)) {
            module.load(moduleContext);
        }

        C2sContext c2s = new C2sContext(domains, config.tls().starttlsRequired(), tls, SaslMechanisms.defaults(),
                accounts, new AuthFailureThrottle(config.limits().maxAuthFailures(), config.limits().authFailureWindow(),
                Clock.systemUTC()), blocking, sessions, router, config.limits(), serverInfo,
                new InBandRegistration(config.features().registration(), accounts::create, Clock.systemUTC()),
                events, config.mobile());

        List<String> banner = new ArrayList<>();
        if (config.c2s().enabled()) {
            Channel channel = bind(transport, config.c2s(), new C2sChannelInitializer(c2s, false, config.limits().idleParserRelease()));
            c2sPort = port(channel);
            banner.add("c2s " + describe(channel) + (config.tls().starttlsRequired() ? " (STARTTLS required)" : ""));
        }
        if (config.directTls().enabled()) {
            Channel channel = bind(transport, config.directTls(), new C2sChannelInitializer(c2s, true, config.limits().idleParserRelease()));
            directTlsPort = port(channel);
            banner.add("direct TLS " + describe(channel));
        }
        if (config.http().enabled() || config.web().https().enabled()) {
            http = new HttpBindings(c2s, config.web(), workerGroup);
        }
        if (config.http().enabled()) {
            Channel channel = bind(transport, config.http(), new HttpChannelInitializer(http, false));
            httpPort = port(channel);
            banner.add("BOSH/WebSocket http://" + describe(channel));
        }
        if (config.web().https().enabled()) {
            Channel channel = bind(transport, config.web().https(), new HttpChannelInitializer(http, true));
            httpsPort = port(channel);
            banner.add("BOSH/WebSocket https://" + describe(channel));
        }
        if (s2s != null) {
            Channel channel = bind(transport, config.s2s(), s2s.inboundInitializer(false));
            s2sPort = port(channel);
            banner.add("s2s " + describe(channel));
            if (config.federation().directTls().enabled()) {
                Channel direct = bind(transport, config.federation().directTls(), s2s.inboundInitializer(true));
                s2sDirectTlsPort = port(direct);
                banner.add("s2s direct TLS " + describe(direct));
            }
        }
        if (config.push().appServer().enabled() && !config.components().listener().enabled()) {
            throw new IllegalStateException("push.app_server needs component.enabled: it connects as a component");
        }
        if (config.components().listener().enabled()) {
            Channel channel = bind(transport, config.components().listener(), new ComponentChannelInitializer(
                    componentRouter, new XmlLimits(config.limits().maxStanzaSize(), config.limits().maxDepth())));
            componentPort = port(channel);
            banner.add("components " + describe(channel));
            if (config.push().appServer().enabled()) {
                pushAppServer = InProcessAppServer.start(config, channel);
                banner.add("push app server " + config.push().appServer().domain());
            }
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
                new LegacySessionModule(),
                new PingModule(),
                new DiscoModule(serverInfo),
                new SoftwareVersionModule(VERSION),
                new EntityTimeModule(Clock.systemDefaultZone()),
                new LastActivityModule(Clock.systemUTC()),
                new ContactAddressesModule(config.features().contactAddresses()),
                new RegisterModule(),
                new BlockingModule(),
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

    /** The bound sessions (for tests and admin tools). */
    public SessionRegistry sessions() {
        return sessions;
    }

    /** The port the c2s (STARTTLS) listener is bound to, or -1. */
    public int c2sPort() {
        return c2sPort;
    }

    /** The port the direct TLS listener is bound to, or -1. */
    public int directTlsPort() {
        return directTlsPort;
    }

    /** The port of the plain HTTP listener (BOSH, WebSocket, host-meta), or -1. */
    public int httpPort() {
        return httpPort;
    }

    /** The port of the HTTPS listener, or -1. */
    public int httpsPort() {
        return httpsPort;
    }

    /** The HTTP bindings (live BOSH sessions), or null when no HTTP listener runs. */
    public HttpBindings http() {
        return http;
    }

    /** The port the s2s (STARTTLS) listener is bound to, or -1. */
    public int s2sPort() {
        return s2sPort;
    }

    /** The port the s2s direct TLS listener (XEP-0368) is bound to, or -1. */
    public int s2sDirectTlsPort() {
        return s2sDirectTlsPort;
    }

    /** The port the external component listener (XEP-0114) is bound to, or -1. */
    public int componentPort() {
        return componentPort;
    }

    /** The remote router in use (the s2s router when federation is on). */
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

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        listeners.clear();
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
        for (LocalSession session : sessions.all()) {
            session.close(StreamError.of(StreamErrorCondition.SYSTEM_SHUTDOWN, "the server is shutting down"));
        }
        if (remoteRouter != null) {
            remoteRouter.stop();
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (blocking != null) {
            blocking.shutdownNow();
        }
        if (database != null) {
            database.close();
        }
        LOG.info("Parley stopped");
    }

    /**
     * The executor for blocking work (JDBC, PBKDF2). A pool grows past its core size only when
     * its queue is full, so core and maximum are the same here; idle threads time out.
     */
    private static ThreadPoolExecutor blockingExecutor() {
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "parley-blocking-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
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

    private Map<DomainBareJid, KeyMaterial> loadKeys(Set<DomainBareJid> domains) throws IOException {
        DomainCertificates certificates = new DomainCertificates(config.dataDir().resolve("certs"));
        Map<DomainBareJid, KeyMaterial> keys = new LinkedHashMap<>();
        for (DomainBareJid domain : domains) {
            CertificateFiles files = config.tls().certificates().get(domain.toString());
            keys.put(domain, files == null
                    ? certificates.loadOrGenerate(domain.toString())
                    : certificates.load(domain.toString(), files.certificate(), files.privateKey()));
        }
        return keys;
    }

    private static ServerTls serverTls(Set<DomainBareJid> domains, Map<DomainBareJid, KeyMaterial> keys,
            TlsProvider provider) throws IOException {
        Map<DomainBareJid, SslContext> contexts = new LinkedHashMap<>();
        Map<DomainBareJid, X509Certificate> leafs = new LinkedHashMap<>();
        for (Map.Entry<DomainBareJid, KeyMaterial> entry : keys.entrySet()) {
            contexts.put(entry.getKey(), TlsContexts.server(entry.getValue(), provider));
            leafs.put(entry.getKey(), entry.getValue().leaf());
        }
        return new ServerTls(contexts, leafs, domains.iterator().next());
    }

    private Channel bind(Transport transport, ListenerConfig listener, ChannelInitializer<SocketChannel> initializer)
            throws IOException {
        ChannelFuture bound = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(initializer)
                .bind(new InetSocketAddress(listener.address(), listener.port()))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen on " + listener.address() + ":" + listener.port() + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        listeners.add(bound.channel());
        return bound.channel();
    }

    private static int port(Channel channel) {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private static String describe(Channel channel) {
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
