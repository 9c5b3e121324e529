package im.parley.server.module;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.routing.Bounces;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.c2s.C2sSession;
import im.parley.server.config.ModuleOption;
import im.parley.server.event.AccountWork;
import im.parley.server.event.EventHandler;
import im.parley.server.event.EventPriority;
import im.parley.server.event.EventType;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.host.Host;
import im.parley.server.host.HostRegistry;
import im.parley.server.http.HttpService;
import im.parley.server.http.HttpServices;
import im.parley.server.metrics.ServerMetrics;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.Storage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import im.parley.server.routing.RecipientLanes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ModuleContext} of one host: hooks go to the host's bus, features to the host's
 * service discovery; sessions, storage, routing, options and stream features are the server's.
 * A component host's context hands its start and stop hooks to the context of the hosted domain
 * whose module added it.
 */
public final class DefaultModuleContext implements ModuleContext {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModuleContext.class);

    /** What every host's context shares: the server's routing, sessions, storage and executors. */
    public record Shared(HostRegistry hosts, StanzaRouter router, RouteTable sessions, Executor blocking,
                         Storage storage, AccountSequencer sequencer, HttpServices http, ServerMetrics metrics,
                         RecipientLanes lanes, Function<Duration, Executor> pauses, ServerControl control) {
        /**
         * Without lanes of its own: sends many stanzas inline ({@link RecipientLanes#inline()}), pauses none,
         * cannot be stopped from inside.
         */
        public Shared(HostRegistry hosts, StanzaRouter router, RouteTable sessions, Executor blocking,
                      Storage storage, AccountSequencer sequencer, HttpServices http, ServerMetrics metrics) {
            this(hosts, router, sessions, blocking, storage, sequencer, http, metrics, RecipientLanes.inline(),
                    pause -> Runnable::run, ServerControl.NONE);
        }
    }

    private final Shared shared;
    private final Host host;
    private final DefaultModuleContext parent;
    private final Set<String> serverFeatures = new CopyOnWriteArraySet<>();
    private final Set<String> accountFeatures = new CopyOnWriteArraySet<>();
    private final Set<DiscoIdentity> accountIdentities = new CopyOnWriteArraySet<>();
    private final List<Element> serverInfoExtensions = new CopyOnWriteArrayList<>();
    /** Counts changes to what the server announces, so that its caps hash is computed once per change. */
    private final AtomicLong serverInfoChanges = new AtomicLong();
    private final ServerInfo serverInfo = new ServerInfo(this::serverFeatures, this::serverInfoExtensions,
            serverInfoChanges::get);
    private final ModuleEnvironment environment;
    private final List<StartHook> startHooks = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> stopHooks = new CopyOnWriteArrayList<>();
    private final List<XmppModule> loaded = new CopyOnWriteArrayList<>();

    /** The context of a hosted domain's modules. */
    public DefaultModuleContext(Shared shared, Host host, ModuleEnvironment environment) {
        this(shared, host, environment, null);
    }

    private DefaultModuleContext(Shared shared, Host host, ModuleEnvironment environment, DefaultModuleContext parent) {
        this.shared = shared;
        this.host = host;
        this.environment = environment;
        this.parent = parent;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public ModuleContext addComponentHost(DomainBareJid domain) {
        return new DefaultModuleContext(shared, shared.hosts().addComponent(domain, parentOf(domain)), environment,
                this);
    }

    /**
     * The hosted domain a component is a subdomain of ({@code proxy.example.org} under
     * {@code example.org}), whose disco#items list it, else this module's host: a global module
     * may add a service for every hosted domain.
     */
    private Host parentOf(DomainBareJid component) {
        String name = component.toString();
        if (name.endsWith("." + host.domain())) {
            return host;
        }
        return domains().stream().filter(domain -> name.endsWith("." + domain)).findFirst()
                .flatMap(domain -> shared.hosts().find(domain)).orElse(host);
    }

    @Override
    public <E> void hook(EventType<E> type, int priority, EventHandler<E> handler) {
        host.events().hook(type, priority, handler);
    }

    @Override
    public <E> boolean fire(EventType<E> type, E event) {
        return host.events().fire(type, event);
    }

    @Override
    public <E> void fire(EventType<E> type, E event, Runnable unhandled) {
        host.events().fire(type, event, unhandled);
    }

    @Override
    public RouteTable sessions() {
        return shared.sessions();
    }

    @Override
    public ServerMetrics metrics() {
        return shared.metrics();
    }

    @Override
    public Executor blocking() {
        return shared.blocking();
    }

    @Override
    public Executor after(Duration pause) {
        return shared.pauses().apply(pause);
    }

    @Override
    public ServerControl server() {
        return shared.control();
    }

    @Override
    public Storage storage() {
        return shared.storage();
    }

    @Override
    public <T> CompletionStage<T> serially(EntityBareJid account, Supplier<? extends CompletionStage<T>> step) {
        return shared.sequencer().serially(account, step);
    }

    @Override
    public AccountWork newTurns(EntityBareJid account) {
        return new AccountWork() {
            @Override
            public <T> CompletionStage<T> defer(Supplier<? extends CompletionStage<T>> work) {
                return shared.sequencer().serially(account, work);
            }
        };
    }

    @Override
    public void handleServerIq(String namespace, IqHandler handler) {
        hookIq(Shape.HOST, namespace, handler);
    }

    @Override
    public void handleAccountIq(String namespace, IqHandler handler) {
        hookIq(Shape.BARE, namespace, handler);
    }

    private void hookIq(Shape shape, String namespace, IqHandler handler) {
        EventHandler<StanzaEvent> answer = event -> {
            answer(event, handler);
            return Verdict.HANDLED;
        };
        hook(StanzaEvents.iq("get", shape, namespace), EventPriority.HANDLE, answer);
        hook(StanzaEvents.iq("set", shape, namespace), EventPriority.HANDLE, answer);
    }

    /**
     * Runs the handler in the turn of the account the request is for ({@link IqHandler#handle(
     * Stanza, AccountWork)}) and routes its answer as part of the request's handling; a handler
     * that fails is answered {@code internal-server-error} (RFC 6120 §8.3.3.8).
     */
    private void answer(StanzaEvent event, IqHandler handler) {
        Stanza iq = event.stanza();
        Handling handling = event.handling();
        handling.track(handler.handle(iq, event.work()).whenComplete((response, failure) -> {
            if (failure != null) {
                // RFC 6120 §8.3.3.18: a pool too busy to take the work is a temporary condition.
                if (!PoolWork.refused(failure)) {
                    LOG.warn("IQ handler failed on {}", iq.element().asXML(), failure);
                }
                Bounces.reply(iq, PoolWork.errorFor(failure, StanzaErrorCondition.INTERNAL_SERVER_ERROR))
                        .ifPresent(reply -> shared.router().route(reply, handling));
            } else if (response != null) {
                shared.router().route(new Stanza(response, iq.to() == null ? iq.from().asBareJid() : iq.to(), iq.from()),
                        handling);
            }
        }));
    }

    @Override
    public void addAccountFeature(String discoFeature) {
        accountFeatures.add(discoFeature);
    }

    @Override
    public Set<String> accountFeatures() {
        return Set.copyOf(accountFeatures);
    }

    @Override
    public void addAccountIdentity(DiscoIdentity identity) {
        accountIdentities.add(identity);
    }

    @Override
    public Set<DiscoIdentity> accountIdentities() {
        return Set.copyOf(accountIdentities);
    }

    @Override
    public void addServerFeature(String discoFeature) {
        serverFeatures.add(discoFeature);
        serverInfoChanges.incrementAndGet();
    }

    /** Features modules announced on this host, for service discovery (XEP-0030). */
    public Set<String> serverFeatures() {
        return Set.copyOf(serverFeatures);
    }

    @Override
    public void addServerInfoExtension(Element form) {
        serverInfoExtensions.add(form.createCopy());
        serverInfoChanges.incrementAndGet();
    }

    /** Extended information forms modules added on this host (XEP-0128), for service discovery; copies. */
    public List<Element> serverInfoExtensions() {
        return serverInfoExtensions.stream().map(Element::createCopy).toList();
    }

    @Override
    public Set<DomainBareJid> domains() {
        return shared.hosts().hostedDomains();
    }

    @Override
    public void send(Stanza stanza) {
        shared.router().route(stanza);
    }

    @Override
    public RecipientLanes lanes() {
        return shared.lanes();
    }

    @Override
    public void send(Stanza stanza, Handling handling) {
        shared.router().route(stanza, handling);
    }

    @Override
    public <T> T option(ModuleOption<T> option) {
        return environment.config().option(option);
    }

    @Override
    public Clock clock() {
        return environment.clock();
    }

    @Override
    public String serverVersion() {
        return environment.serverVersion();
    }

    @Override
    public ServerInfo serverInfo() {
        return serverInfo;
    }

    @Override
    public void addStreamFeature(int order, Supplier<? extends FeatureNegotiator<C2sSession>> factory) {
        environment.streamFeatures().add(order, factory);
    }

    @Override
    public DataSource schema(XmppModule module, String location) {
        return environment.schemas().migrate(module.name(), module.getClass().getClassLoader(), location);
    }

    /** Records that {@code module} has loaded on this host, for {@link #module}. */
    public void loaded(XmppModule module) {
        loaded.add(module);
    }

    @Override
    public <T extends XmppModule> T module(XmppModule requester, Class<T> type) {
        if (parent != null) {
            return parent.module(requester, type);
        }
        T found = loaded.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("module " + requester.name() + " asks for "
                        + type.getSimpleName() + ", which has not loaded on " + host.domain()));
        if (!requester.dependsOn().contains(found.name())) {
            throw new IllegalStateException("module " + requester.name() + " uses module " + found.name()
                    + " but does not name it in dependsOn()");
        }
        return found;
    }

    @Override
    public void handleHttp(String prefix, HttpService service) {
        shared.http().register(prefix, service);
    }

    @Override
    public Path dataDir() {
        return environment.config().dataDir();
    }

    @Override
    public void onStarted(StartHook hook) {
        if (parent != null) {
            parent.onStarted(hook);
        } else {
            startHooks.add(hook);
        }
    }

    @Override
    public void onStop(AutoCloseable resource) {
        if (parent != null) {
            parent.onStop(resource);
        } else {
            stopHooks.add(resource);
        }
    }

    /** Runs the modules' start hooks, in load order; returns their banner lines. */
    public List<String> started(RunningServer server) throws Exception {
        List<String> banner = new ArrayList<>();
        for (StartHook hook : startHooks) {
            String line = hook.started(server);
            if (line != null) {
                banner.add(line);
            }
        }
        return banner;
    }

    /** Closes what modules asked to close at stop, last registered first; failures are logged. */
    public void stopped() {
        for (int i = stopHooks.size() - 1; i >= 0; i--) {
            try {
                stopHooks.get(i).close();
            } catch (Exception e) {
                LOG.warn("a module's resource did not close", e);
            }
        }
    }
}
