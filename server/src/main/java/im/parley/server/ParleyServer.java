package im.parley.server;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.tls.KeyMaterial;
import im.parley.s2s.S2sRouter;
import im.parley.server.s2s.S2sInitializer;
import im.parley.server.admin.AdminSocketServer;
import im.parley.server.component.ComponentRouter;
import im.parley.server.component.ComponentSecrets;
import im.parley.server.c2s.C2sContext;
import im.parley.server.config.ParleyConfig;
import im.parley.server.metrics.ListenerGauges;
import im.parley.server.metrics.ServerMetrics;
import im.parley.server.metrics.SessionGauges;
import im.parley.server.admin.ServerStatus;
import im.parley.server.net.Transport;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.DataDirectory;
import im.parley.server.http.HealthCheck;
import im.parley.server.http.HttpBindings;
import im.parley.server.tls.CertificateWatch;
import im.parley.server.tls.ReloadReport;
import im.parley.server.tls.ServerCertificates;
import im.parley.server.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.security.cert.X509Certificate;
import im.parley.server.account.AccountService;
import im.parley.server.routing.FederationRoute;
import im.parley.server.routing.RouteHandler;
import im.parley.server.session.RouteTable;
import im.parley.server.routing.RecipientLanes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley on the network: the object graph of {@link ServerAssembly} (STYLE.md #4) plus TLS,
 * event loops, federation, external components, the listeners and the admin socket, built from a
 * {@link ParleyConfig}; starts the listeners, then the modules' start hooks, and stops everything
 * in reverse order.
 */
public final class ParleyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);
    /** Version shown in the banner and in software-version answers. */
    public static final String VERSION = "0.1.0";
    /** The longest the health check waits for the database. */
    private static final Duration DATABASE_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final ParleyConfig config;
    private final Clock clock;
    private ServerAssembly assembly;
    private ServerTls tls;
    private volatile ServerCertificates certificates;
    private CertificateWatch certificateWatch;
    private RemoteRouter remoteRouter;
    private ComponentRouter componentRouter;
    private Channel componentListener;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ExecutorService blocking;
    private Listeners listeners;
    private HttpBindings http;
    private AdminSocketServer adminSocket;
    private boolean closed;
    private long startedAt;
    /** What an administrator's stop does once its delay has passed; on a thread of its own. */
    private volatile Runnable stop = this::close;

    public ParleyServer(ParleyConfig config) {
        this(config, Clock.systemDefaultZone());
    }

    /** A server whose modules read {@code clock} (tests move it: expiry, retention). */
    public ParleyServer(ParleyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * What stopping the server from inside (an administrator's command, XEP-0133 §4.31) does: by
     * default {@link #close()}; {@code parley run} exits the JVM instead, whose shutdown hook closes
     * the server as SIGTERM does, so that the process ends too. Runs on a thread of its own.
     */
    public void onStopRequested(Runnable action) {
        this.stop = action;
    }

    /** Opens storage, prepares TLS, loads modules and binds the listeners. */
    public void start() throws Exception {
        startedAt = System.nanoTime();
        Set<DomainBareJid> domains = domains();
        DataDirectory.secure(config.dataDir());
        certificates = new ServerCertificates(config.tls(), config.dataDir().resolve("certs"), Clock.systemUTC());
        Map<DomainBareJid, KeyMaterial> keys = certificates.addHosts(HostedDomainTls.hostedDomains(domains));
        tls = ServerTls.of(keys, domains.iterator().next(), config.tls().provider());
        certificates.onChange(tls::replace);
        ThreadPoolExecutor pool = BlockingExecutor.create();
        blocking = pool;

        Transport transport = new Transport();
        bossGroup = transport.newGroup("parley-accept", 1);
        workerGroup = transport.newGroup("parley-io", 0);

        componentRouter = new ComponentRouter(ComponentSecrets.of(config.components()));
        FederationRoute federation = config.s2s().enabled() ? new FederationRoute() : null;
        RouteHandler[] routeHandlers = federation != null
                ? new RouteHandler[] {componentRouter, federation}
                : new RouteHandler[] {componentRouter};
        assembly = ServerAssembly.builder(config).blocking(blocking)
                // Retries after a refusal of the pool wait on the JDK's delay scheduler, then hand over.
                .pauses(pause -> CompletableFuture.delayedExecutor(pause.toNanos(), TimeUnit.NANOSECONDS, Runnable::run))
                .lanes(RecipientLanes.of(workerGroup)).tls(tls).clock(clock).routeHandlers(routeHandlers)
                .control(new StopFromInside(() -> stop)).build();
        BlockingExecutor.meter(pool, assembly.metrics().registry());
        // After storage: a cluster's nodes share the dialback secret in their database.
        S2sRouter s2s = federation != null
                ? new S2sRouter(S2sInitializer.settings(config, domains, keys, assembly.clusterSecrets().orElse(null)),
                        workerGroup, transport.socketChannel(), blocking)
                : null;
        remoteRouter = s2s;
        Map<DomainBareJid, DomainBareJid> services = HostedDomainTls.componentHosts(assembly.hosts());
        Map<DomainBareJid, KeyMaterial> serviceKeys = certificates.addHosts(services);
        tls.replace(serviceKeys);
        certificates.unusedEntries().forEach(name -> LOG.warn("tls.certificates.{}: {} is no host of this server "
                + "(hosts: {}); the certificate serves only the hosts it names", name, name,
                String.join(", ", hostNames(domains, services))));
        if (s2s != null) {
            s2s.limitIntake(assembly.s2sIntake());
            s2s.start(assembly.router());
            S2sInitializer.serveComponentHosts(s2s, services, serviceKeys);
            certificates.onChange(s2s::replaceCertificates);
            ListenerGauges.federation(assembly.metrics().registry(), s2s);
            federation.open(s2s);
        }
        componentRouter.start(assembly.router());

        listeners = new Listeners(config, transport, bossGroup, workerGroup);
        assembly.httpServices().register(HealthCheck.PATH, new HealthCheck(listeners::allOpen,
                () -> assembly.databaseAnswers(DATABASE_CHECK_TIMEOUT), blocking, Clock.systemUTC()));
        List<String> banner = bindListeners(assembly.c2s(), s2s);
        banner.addAll(assembly.started(new BoundServer(config, listeners, componentListener)));
        adminSocket = AdminSocketServer.start(config.dataDir(), assembly.accountAdmin(), this::status,
                this::reloadCertificates).orElse(null);
        if (config.tls().watch()) {
            try {
                certificateWatch = CertificateWatch.start(certificates::watchedDirectories, CertificateWatch.QUIET,
                        this::reloadCertificates);
            } catch (IOException e) {
                LOG.warn("Cannot watch the certificate files ({}): parley reload or SIGHUP reads them again",
                        e.toString());
            }
        }
        if (adminSocket != null) {
            banner.add("admin socket " + adminSocket.socket());
        }
        LOG.info("Parley {} serving {}; {}; storage {}; {}; TLS {}", VERSION, String.join(", ", config.domains()),
                String.join(", ", banner), storageDescription(), transport.name(), tls.providerName());
    }

    /** The account service (add users in tests and tools). */
    public AccountService accounts() {
        return assembly.accounts();
    }

    /** The route table: the bound sessions (for tests and admin tools). */
    public RouteTable sessions() {
        return assembly.sessions();
    }

    /** The server's meters (what the metrics endpoint shows). */
    public ServerMetrics metrics() {
        return assembly.metrics();
    }

    /** The modules that run, in load order. */
    public List<String> modules() {
        return assembly.moduleNames();
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
     * sessions (with {@code system-shutdown}, RFC 6120 §4.9.3.20), federation, event loops, in a
     * cluster the stanzas sent to other nodes (confirmed, or stored offline), storage work in
     * flight (drained, never interrupted), storage. An event loop that does not stop in time (a
     * handler stuck on it) is left behind, with its stack in the log, so that storage is still
     * closed; its threads are daemons and do not keep the process alive.
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
        if (certificateWatch != null) {
            certificateWatch.close();
        }
        long timeoutNanos = config.shutdownTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        if (listeners != null) {
            listeners.close(deadline);
        }
        if (assembly != null) {
            assembly.stopped();
        }
        if (componentRouter != null) {
            componentRouter.stop();
        }
        if (assembly != null) {
            for (LocalSession session : assembly.sessions().all()) {
                session.close(StreamError.of(StreamErrorCondition.SYSTEM_SHUTDOWN, "the server is shutting down"));
            }
        }
        if (remoteRouter != null) {
            remoteRouter.stop();
        }
        if (assembly != null) {
            // Two fifths of the time are kept for the event loops and storage.
            StopSteps.awaitClientsClosed(assembly.sessions(),
                    Math.min(System.nanoTime() + StopSteps.CLIENTS_CLOSE_WAIT.toNanos(), deadline - timeoutNanos * 2 / 5));
        }
        if (workerGroup != null) {
            // A fifth of the time is kept for what follows: closing the database.
            StopSteps.stopEventLoops(bossGroup, workerGroup, deadline - timeoutNanos / 5);
        }
        if (assembly != null) {
            // Before storage stops: a stanza another node did not confirm is stored offline here.
            assembly.sessionsEnded(Duration.ofNanos(Math.max(0, deadline - timeoutNanos / 10 - System.nanoTime()) / 2));
            // What that handed to the accounts' turns (offline storage) runs before the executor stops.
            assembly.stepsFinished(deadline - timeoutNanos / 10);
        }
        if (blocking != null) {
            // A tenth is kept for closing the database.
            StopSteps.drainBlockingWork(blocking, deadline - timeoutNanos / 10);
        }
        if (assembly != null) {
            assembly.close();
        }
        LOG.info("Parley stopped");
    }

    /**
     * Reads the certificate files again ({@code parley reload}, SIGHUP, a change the watch saw): connections set up from now
     * on get the new certificates, those open now keep theirs; a file that cannot be used is
     * refused and the hosts it served keep the certificate they present (see
     * {@link ServerCertificates}). Blocks while files are read: never call it on an event loop.
     */
    public ReloadReport reloadCertificates() {
        ServerCertificates current = certificates;
        return current == null ? new ReloadReport(List.of("the server has not started"), 1) : current.reload();
    }

    /** What {@code parley status} shows: version, uptime, hosts, sessions, federation, memory. */
    public ServerStatus status() {
        List<String> hosts = new ArrayList<>(config.domains());
        assembly.hosts().all().stream().map(host -> host.domain().toString()).filter(host -> !hosts.contains(host))
                .sorted().forEach(hosts::add);
        Map<String, Integer> sessions = SessionGauges.count(assembly.sessions());
        S2sRouter s2s = remoteRouter instanceof S2sRouter router ? router : null;
        Runtime runtime = Runtime.getRuntime();
        return new ServerStatus(VERSION, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt), hosts,
                sessions, s2s == null ? -1 : s2s.inboundStreams(), s2s == null ? -1 : s2s.outboundStreams(),
                runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory());
    }

    /** For tests: the event loops the connections run on. */
    EventLoopGroup eventLoops() {
        return workerGroup;
    }

    /** Binds every listener the config enables, in banner order; returns the banner's lines. */
    private List<String> bindListeners(C2sContext c2s, S2sRouter s2s) throws Exception {
        listeners.bindClients(c2s);
        http = listeners.bindHttp(c2s, assembly.httpServices());
        if (http != null) {
            ListenerGauges.bosh(assembly.metrics().registry(), http.bosh());
        }
        if (s2s != null) {
            listeners.bindFederation(s2s);
        }
        componentListener = listeners.bindComponents(componentRouter);
        return new ArrayList<>(listeners.descriptions());
    }

    private String storageDescription() {
        String url = config.storage().jdbcUrl();
        return url == null ? "embedded H2 in " + config.dataDir().toAbsolutePath().normalize() : url;
    }

    private static List<String> hostNames(Set<DomainBareJid> domains, Map<DomainBareJid, DomainBareJid> services) {
        List<String> names = new ArrayList<>();
        domains.forEach(domain -> names.add(domain.toString()));
        services.keySet().forEach(service -> names.add(service.toString()));
        return names;
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
