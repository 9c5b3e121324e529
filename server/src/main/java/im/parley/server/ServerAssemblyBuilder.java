package im.parley.server;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.cluster.Cluster;
import im.parley.server.config.ClusterOptions;
import im.parley.server.config.ParleyConfig;
import im.parley.server.host.HostRegistry;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.module.ServerControl;
import im.parley.server.routing.RecipientLanes;
import im.parley.server.routing.RouteHandler;
import im.parley.server.session.SharedCaches;
import im.parley.server.storage.Database;
import im.parley.server.tls.ServerTls;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jxmpp.jid.DomainBareJid;

/** How a {@link ServerAssembly} is built; only the configuration is required. */
public final class ServerAssemblyBuilder {
    final ParleyConfig config;
    Executor blocking = Runnable::run;
    Function<Duration, Executor> pauses = pause -> Runnable::run;
    RecipientLanes lanes = RecipientLanes.inline();
    ServerTls tls;
    Clock clock = Clock.systemDefaultZone();
    List<RouteHandler> routeHandlers = List.of();
    ModuleCatalog catalog;
    SharedCaches caches = SharedCaches.LOCAL;
    ServerControl control = ServerControl.NONE;

    ServerAssemblyBuilder(ParleyConfig config) {
        this.config = config;
    }

    /** Where stanzas sent many at once are routed (the event loops); one inline lane unless set. */
    public ServerAssemblyBuilder lanes(RecipientLanes value) {
        this.lanes = value;
        return this;
    }

    /** Where blocking work (storage, key derivation) runs; inline unless set. */
    public ServerAssemblyBuilder blocking(Executor executor) {
        this.blocking = executor;
        return this;
    }

    /**
     * How work waits before it is handed over again ({@link im.parley.server.module.ModuleContext#after}):
     * an executor that runs a task once the pause has passed; at once, inline, unless set (as blocking
     * work runs inline).
     */
    public ServerAssemblyBuilder pauses(Function<Duration, Executor> value) {
        this.pauses = value;
        return this;
    }

    /**
     * How a server without a cluster hears of stored state changed elsewhere ({@link SharedCaches}):
     * from nobody unless set; a test may play the other nodes of a cluster with it. A cluster's
     * route table brings its own.
     */
    public ServerAssemblyBuilder caches(SharedCaches value) {
        this.caches = value;
        return this;
    }

    /** What the modules may ask of the process the server runs in (stopping it); nothing unless set. */
    public ServerAssemblyBuilder control(ServerControl value) {
        this.control = value;
        return this;
    }

    /** The per-domain TLS contexts; without, clients cannot negotiate TLS. */
    public ServerAssemblyBuilder tls(ServerTls serverTls) {
        this.tls = serverTls;
        return this;
    }

    /** The clock modules and throttles read; the system's unless set. */
    public ServerAssemblyBuilder clock(Clock newClock) {
        this.clock = newClock;
        return this;
    }

    /**
     * What handles stanzas for domains not served here, asked in order (external components,
     * then federation); a domain none of them claims gets {@code remote-server-not-found}.
     * Federation is off unless set.
     */
    public ServerAssemblyBuilder routeHandlers(RouteHandler... handlers) {
        this.routeHandlers = List.of(handlers);
        return this;
    }

    /** The modules to choose from; those the class path provides unless set. */
    public ServerAssemblyBuilder modules(ModuleCatalog modules) {
        this.catalog = modules;
        return this;
    }

    /**
     * Opens (and migrates) the database, joins the cluster if enabled, then builds the graph and loads the
     * modules.
     *
     * @throws IllegalStateException if a running module needs one that is missing or disabled
     */
    public ServerAssembly build() throws JidMalformedException {
        Set<DomainBareJid> domains = new LinkedHashSet<>();
        for (String domain : config.domains()) {
            domains.add(Jids.parseDomain(domain));
        }
        if (catalog == null) {
            catalog = ModuleCatalog.discover();
        }
        if (tls == null) {
            tls = new ServerTls(Map.of(), Map.of(), domains.iterator().next());
        }
        Objects.requireNonNull(blocking, "blocking");
        Database database = Database.open(config.storage(), config.dataDir());
        HostRegistry hosts = new HostRegistry(domains);
        Cluster cluster = null;
        try {
            cluster = config.option(ClusterOptions.ENABLED) ? Cluster.join(config, hosts) : null;
            return new ServerAssembly(this, domains, database, hosts, cluster);
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            database.close();
            throw e;
        }
    }
}
