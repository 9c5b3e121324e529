package im.parley.server;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.RemoteRouter;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.s2s.FederationDisabledRouter;
import im.parley.server.account.AccountService;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.EventBus;
import im.parley.server.module.AccountSequencer;
import im.parley.server.module.DefaultModuleContext;
import im.parley.server.module.IqHandlers;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.module.ModuleEnvironment;
import im.parley.server.module.ModuleSet;
import im.parley.server.module.XmppModule;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.session.SessionRegistry;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcStorage;
import im.parley.server.storage.ModuleSchemas;
import im.parley.server.tls.ServerTls;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jxmpp.jid.DomainBareJid;

/**
 * The one assembly of Parley's object graph (STYLE.md #4): storage, accounts, events, sessions,
 * the router, the modules (discovered, {@link ModuleCatalog}) and what client streams share
 * ({@link C2sContext}), built with constructors from a {@link ParleyConfig}. Its users configure
 * it and add only their own: {@link ParleyServer} adds sockets, TLS and federation; the tests'
 * socket-less server runs blocking work inline; {@code EmbeddedParley} starts a
 * {@code ParleyServer}. Closing it closes the database.
 */
public final class ServerAssembly implements AutoCloseable {

    private final ParleyConfig config;
    private final Set<DomainBareJid> domains;
    private final EventBus events = new EventBus();
    private final SessionRegistry sessions = new SessionRegistry(events);
    private final C2sFeatures streamFeatures = new C2sFeatures();
    private final Database database;
    private final JdbcStorage storage;
    private final AccountService accounts;
    private final DefaultStanzaRouter router;
    private final DefaultModuleContext moduleContext;
    private final List<String> moduleNames;
    private final C2sContext c2s;

    private ServerAssembly(Builder builder, Set<DomainBareJid> domains, Database database) {
        this.config = builder.config;
        this.domains = domains;
        this.database = database;
        this.storage = new JdbcStorage(database.dataSource());
        this.accounts = new AccountService(storage.accounts());
        IqHandlers iqHandlers = new IqHandlers();
        AccountSequencer sequencer = new AccountSequencer();
        RemoteRouter remote = builder.remoteRouters.get(builder.remoteRouters.size() - 1);
        router = new DefaultStanzaRouter(domains, sessions, iqHandlers, remote, events, sequencer);
        builder.remoteRouters.forEach(r -> r.start(router));
        moduleContext = new DefaultModuleContext(domains, iqHandlers, router, events, sessions, builder.blocking,
                storage, sequencer, new ModuleEnvironment(config, builder.clock, ParleyServer.VERSION, streamFeatures,
                new ModuleSchemas(database.dataSource())));
        ModuleSet modules = ModuleSet.resolve(builder.catalog, config.modules().disabled());
        for (XmppModule module : modules.modules()) {
            module.load(moduleContext);
        }
        moduleNames = modules.names();
        c2s = new C2sContext(domains, config.tls().starttlsRequired(), builder.tls, SaslMechanisms.defaults(), accounts,
                new AuthFailureThrottle(config.limits().maxAuthFailures(), config.limits().authFailureWindow(),
                        builder.clock),
                builder.blocking, sessions, router, config.limits(), events, streamFeatures);
    }

    /** Starts describing the graph for {@code config}. */
    public static Builder builder(ParleyConfig config) {
        return new Builder(config);
    }

    public ParleyConfig config() {
        return config;
    }

    /** The hosted domains, prepared. */
    public Set<DomainBareJid> domains() {
        return domains;
    }

    public EventBus events() {
        return events;
    }

    public SessionRegistry sessions() {
        return sessions;
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

    /** What the modules registered (features, start and stop hooks). */
    public DefaultModuleContext moduleContext() {
        return moduleContext;
    }

    /** The modules that run, in load order. */
    public List<String> moduleNames() {
        return moduleNames;
    }

    /** What every client stream shares, the stream features modules added included. */
    public C2sContext c2s() {
        return c2s;
    }

    /** Closes the database. */
    @Override
    public void close() {
        database.close();
    }

    /** How the graph is built; only the configuration is required. */
    public static final class Builder {
        private final ParleyConfig config;
        private Executor blocking = Runnable::run;
        private ServerTls tls;
        private Clock clock = Clock.systemDefaultZone();
        private List<RemoteRouter> remoteRouters = List.of(new FederationDisabledRouter());
        private ModuleCatalog catalog;

        private Builder(ParleyConfig config) {
            this.config = config;
        }

        /** Where blocking work (storage, key derivation) runs; inline unless set. */
        public Builder blocking(Executor executor) {
            this.blocking = executor;
            return this;
        }

        /** The per-domain TLS contexts; without, clients cannot negotiate TLS. */
        public Builder tls(ServerTls serverTls) {
            this.tls = serverTls;
            return this;
        }

        /** The clock modules and throttles read; the system's unless set. */
        public Builder clock(Clock newClock) {
            this.clock = newClock;
            return this;
        }

        /**
         * What handles stanzas for domains not hosted here, innermost first (e.g. federation,
         * then the component router that wraps it): the last one is the router's, and each is
         * started with the router in this order. Federation is off unless set.
         */
        public Builder remoteRouters(RemoteRouter... routers) {
            this.remoteRouters = List.of(routers);
            return this;
        }

        /** The modules to choose from; those the class path provides unless set. */
        public Builder modules(ModuleCatalog modules) {
            this.catalog = modules;
            return this;
        }

        /**
         * Opens (and migrates) the database, then builds the graph and loads the modules.
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
            try {
                return new ServerAssembly(this, domains, database);
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
        }
    }
}
