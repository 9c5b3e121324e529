package im.parley.server.module;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaRouter;
import im.parley.server.event.AccountWork;
import im.parley.server.event.EventBus;
import im.parley.server.event.EventHandler;
import im.parley.server.event.EventType;
import im.parley.server.session.SessionRegistry;
import im.parley.server.storage.Storage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/** The {@link ModuleContext} every module gets: registrations go to shared registries. */
public final class DefaultModuleContext implements ModuleContext {

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

    public DefaultModuleContext(Set<DomainBareJid> domains, IqHandlers iqHandlers, StanzaRouter router, EventBus events,
                                SessionRegistry sessions, Executor blocking, Storage storage, AccountSequencer sequencer) {
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
}
