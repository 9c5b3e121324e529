package im.parley.server.module;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.server.c2s.C2sSession;
import im.parley.server.config.ModuleOption;
import im.parley.server.event.AccountWork;
import im.parley.server.event.EventBus;
import im.parley.server.event.EventHandler;
import im.parley.server.event.EventType;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.session.SessionRegistry;
import im.parley.server.storage.Storage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ModuleContext} every module gets: registrations go to shared registries. */
public final class DefaultModuleContext implements ModuleContext {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModuleContext.class);

    private final Set<DomainBareJid> domains;
    private final IqHandlers iqHandlers;
    private final StanzaRouter router;
    private final EventBus events;
    private final SessionRegistry sessions;
    private final Executor blocking;
    private final Storage storage;
    private final Set<String> serverFeatures = new CopyOnWriteArraySet<>();
    private final Set<String> accountFeatures = new CopyOnWriteArraySet<>();
    private final AccountSequencer sequencer;
    private final List<Element> serverInfoExtensions = new CopyOnWriteArrayList<>();
    private final ServerInfo serverInfo = new ServerInfo(this::serverFeatures, this::serverInfoExtensions);
    private final ModuleEnvironment environment;
    private final List<StartHook> startHooks = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> stopHooks = new CopyOnWriteArrayList<>();

    public DefaultModuleContext(Set<DomainBareJid> domains, IqHandlers iqHandlers, StanzaRouter router, EventBus events,
                                SessionRegistry sessions, Executor blocking, Storage storage, AccountSequencer sequencer,
                                ModuleEnvironment environment) {
        this.environment = environment;
        this.sequencer = sequencer;
        this.domains = Set.copyOf(domains);
        this.iqHandlers = iqHandlers;
        this.router = router;
        this.events = events;
        this.sessions = sessions;
        this.blocking = blocking;
        this.storage = storage;
    }

    @Override
    public <E> void hook(EventType<E> type, int priority, EventHandler<E> handler) {
        events.hook(type, priority, handler);
    }

    @Override
    public <E> boolean fire(EventType<E> type, E event) {
        return events.fire(type, event);
    }

    @Override
    public SessionRegistry sessions() {
        return sessions;
    }

    @Override
    public Executor blocking() {
        return blocking;
    }

    @Override
    public Storage storage() {
        return storage;
    }

    @Override
    public <T> CompletionStage<T> serially(EntityBareJid account, Supplier<? extends CompletionStage<T>> step) {
        return sequencer.serially(account, step);
    }

    @Override
    public AccountWork newTurns(EntityBareJid account) {
        return new AccountWork() {
            @Override
            public <T> CompletionStage<T> defer(Supplier<? extends CompletionStage<T>> work) {
                return sequencer.serially(account, work);
            }
        };
    }


    @Override
    public void handleServerIq(String namespace, IqHandler handler) {
        iqHandlers.registerServer(namespace, handler);
    }

    @Override
    public void handleAccountIq(String namespace, IqHandler handler) {
        iqHandlers.registerAccount(namespace, handler);
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
    public void addServerFeature(String discoFeature) {
        serverFeatures.add(discoFeature);
    }

    /** Features modules announced, for service discovery (XEP-0030). */
    public Set<String> serverFeatures() {
        return Set.copyOf(serverFeatures);
    }

    @Override
    public void addServerInfoExtension(Element form) {
        serverInfoExtensions.add(form.createCopy());
    }

    /** Extended information forms modules added (XEP-0128), for service discovery; copies. */
    public List<Element> serverInfoExtensions() {
        return serverInfoExtensions.stream().map(Element::createCopy).toList();
    }

    @Override
    public Set<DomainBareJid> domains() {
        return domains;
    }

    @Override
    public void send(Stanza stanza) {
        router.route(stanza);
    }

    @Override
    public void send(Stanza stanza, Handling handling) {
        router.route(stanza, handling);
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

    @Override
    public void onStarted(StartHook hook) {
        startHooks.add(hook);
    }

    @Override
    public void onStop(AutoCloseable resource) {
        stopHooks.add(resource);
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
