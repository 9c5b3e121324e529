package im.parley.server.modules.roster;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.AccountWork;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.module.IqHandler;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.ContactState;
import im.parley.server.storage.Roster;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.RosterStore;
import im.parley.server.storage.RosterUpdate;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Roster management (RFC 6121 §2): roster get with versioning (§2.2, §2.6), roster set to add
 * or update an item (§2.3, §2.4), removal with the subscription cancellations of §2.5.2, and
 * roster pushes (§2.1.6) to the interested resources, those that requested the roster in their
 * session (§2.2; {@link SessionEvents#ROSTER_REQUESTED} tells the cluster). Pushes for changes
 * made elsewhere arrive as {@link RosterEvents#CHANGED}.
 */
public final class RosterModule implements XmppModule {

    public static final String NAMESPACE = "jabber:iq:roster";
    /** Roster versioning is announced with the post-authentication features (RFC 6121 §2.6.1). */
    public static final int VERSIONING_FEATURE_ORDER = C2sFeatures.BIND + 300;

    private final Set<LocalSession> interested = ConcurrentHashMap.newKeySet();
    private final AtomicLong pushIds = new AtomicLong();
    private ModuleContext context;
    private RosterStore store;

    @Override
    public String name() {
        return "roster";
    }

    @Override
    public void load(ModuleContext moduleContext) {
        this.context = moduleContext;
        this.store = moduleContext.storage().rosters();
        // Clients and test tools look for the roster on the server before they use it; roster
        // versioning is a stream feature (RFC 6121 §2.6.1), not a disco feature.
        context.addServerFeature(NAMESPACE);
        context.addStreamFeature(VERSIONING_FEATURE_ORDER, RosterVersioningFeature::new);
        context.handleAccountIq(NAMESPACE, new IqHandler() {
            @Override
            public CompletionStage<Element> handle(Stanza iq) {
                return RosterModule.this.handle(iq, AccountWork.NONE);
            }

            @Override
            public CompletionStage<Element> handle(Stanza iq, AccountWork work) {
                return RosterModule.this.handle(iq, work);
            }
        });
        context.hook(RosterEvents.CHANGED, 0, change -> {
            push(change);
            return Verdict.PASS;
        });
        context.hook(SessionEvents.CLOSED, 0, session -> {
            interested.remove(session);
            return Verdict.PASS;
        });
    }

    /**
     * Storage work runs in the account's turn ({@code work}): changes and their pushes reach
     * clients in the order they were made (RFC 6121 §2.1.6, §2.6), and a get after a set sees it.
     */
    private CompletionStage<Element> handle(Stanza iq, AccountWork work) {
        EntityBareJid owner = iq.from() == null ? null : iq.from().asEntityBareJidIfPossible();
        Optional<LocalSession> session = iq.from() == null || iq.from().asEntityFullJidIfPossible() == null
                ? Optional.empty() : context.sessions().find(iq.from().asEntityFullJidIfPossible());
        if (owner == null || session.isEmpty() || (iq.to() != null && !iq.to().equals(owner))) {
            // §2.1.5 (roster get) and §2.3.3 (roster set): only the user manages the roster.
            return error(iq, StanzaErrorCondition.FORBIDDEN, null);
        }
        Element query = iq.element().elements().get(0);
        if (!"query".equals(query.getName())) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        if ("get".equals(iq.type())) {
            return get(iq, owner, session.get(), query.attributeValue("ver"), work);
        }
        try {
            RosterSet set = RosterSet.parse(query);
            if (set.contact().equals(owner)) {
                // The user's own JID is implicitly subscribed both ways (§4.2.2, §4.3.1); a
                // roster item for it could only mislead.
                return error(iq, StanzaErrorCondition.NOT_ALLOWED, "the roster cannot hold your own address");
            }
            return set.remove() ? remove(iq, owner, set.contact(), work) : addOrUpdate(iq, owner, set, work);
        } catch (RosterSet.Invalid e) {
            return error(iq, e.condition(), e.getMessage());
        }
    }

    /** §2.2 and §2.6.3: an unchanged version gets an empty result; otherwise the whole roster. */
    private CompletionStage<Element> get(Stanza iq, EntityBareJid owner, LocalSession session, String clientVersion,
                                         AccountWork work) {
        return work.defer(() -> PoolWork.supply(() -> store.roster(owner), context.blocking())).thenApply(roster -> {
            if (interested.add(session)) {
                context.fire(SessionEvents.ROSTER_REQUESTED, session);
            }
            Element result = Stanzas.iqResult(iq.element());
            if (clientVersion != null && clientVersion.equals(String.valueOf(roster.version()))) {
                return result;
            }
            result.add(query(roster));
            return result;
        });
    }

    private static Element query(Roster roster) {
        Element query = RosterItemXml.query(roster.version());
        for (RosterItem item : roster.items()) {
            RosterItemXml.addItem(query, item.contact(), Optional.of(item));
        }
        return query;
    }

    /** §2.3.2, §2.4.2: stores the name and groups, keeping the subscription state. */
    private CompletionStage<Element> addOrUpdate(Stanza iq, EntityBareJid owner, RosterSet set, AccountWork work) {
        return work.defer(() -> PoolWork.supply(() -> store.update(owner, set.contact(),
                state -> new ContactState(Optional.of(state.item().orElseGet(() -> RosterItem.of(set.contact()))
                        .withNameAndGroups(set.name(), set.groups())), state.pendingRequest())),
                context.blocking()).thenApply(update -> {
                    // §2.3.2: the push goes out even when the set repeated the stored values.
                    context.fire(RosterEvents.CHANGED, new RosterEvents.Change(owner, set.contact(),
                            update.after().item(), update.version()));
                    return Stanzas.iqResult(iq.element());
                }));
    }

    /** §2.5: removes the item and cancels both subscription directions with the contact. */
    private CompletionStage<Element> remove(Stanza iq, EntityBareJid owner, BareJid contact, AccountWork work) {
        return work.defer(() -> PoolWork.supply(() -> store.update(owner, contact,
                state -> state.item().isPresent() ? ContactState.UNKNOWN : state), context.blocking()).thenApply(update -> {
                    if (update.before().item().isEmpty()) {
                        return update;
                    }
                    context.fire(RosterEvents.CHANGED, new RosterEvents.Change(owner, contact, Optional.empty(),
                            update.version()));
                    cancelSubscriptions(owner, contact, update);
                    return update;
                })).thenCompose(update -> {
                    if (update.before().item().isEmpty()) {
                        return CompletableFuture.completedFuture(
                                Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND)));
                    }
                    // A local contact processes the cancellation on its own queue: answer once it
                    // has, so a client that sees the result finds both rosters already updated.
                    EntityBareJid local = contact.asEntityBareJidIfPossible();
                    CompletionStage<Object> contactDone = local != null && context.domains().contains(local.asDomainBareJid())
                            ? context.serially(local, () -> CompletableFuture.completedFuture(null))
                            : CompletableFuture.completedFuture(null);
                    // Waiting happens outside the owner's turn: two users removing each other at
                    // once must not wait for each other.
                    return contactDone.thenApply(ignored -> Stanzas.iqResult(iq.element()));
                });
    }

    /**
     * §2.5.2: the contact is told the user no longer subscribes ({@code unsubscribe}) and no
     * longer lets the contact subscribe ({@code unsubscribed}); pending halves count too. A
     * contact that saw the user's presence gets unavailable presence from each resource (§3.2.2).
     */
    private void cancelSubscriptions(EntityBareJid owner, BareJid contact, RosterUpdate update) {
        RosterItem item = update.before().item().orElseThrow();
        if (item.subscription().hasTo() || item.pendingOut()) {
            send(owner, contact, "unsubscribe");
        }
        if (item.subscription().hasFrom() || update.before().pendingRequest().isPresent()) {
            send(owner, contact, "unsubscribed");
        }
        if (item.subscription().hasFrom()) {
            for (LocalSession session : context.sessions().sessionsOf(owner)) {
                if (session.isAvailable()) {
                    send(session.jid(), contact, "unavailable");
                }
            }
        }
    }

    private void send(Jid from, Jid to, String type) {
        Element presence = DocumentHelper.createElement(QName.get("presence", Namespaces.CLIENT));
        presence.addAttribute("from", from.toString());
        presence.addAttribute("to", to.toString());
        presence.addAttribute("type", type);
        context.send(new Stanza(presence, from, to));
    }

    /**
     * §2.1.6: a roster push with the changed item and the new version to every interested
     * resource, those of this node and, in a cluster, those that requested the roster on another.
     */
    private void push(RosterEvents.Change change) {
        for (LocalSession session : context.sessions().sessionsOf(change.owner())) {
            if (!interested.contains(session) && !session.sharedRosterInterest()) {
                continue;
            }
            Element push = DocumentHelper.createElement(QName.get("iq", Namespaces.CLIENT));
            push.addAttribute("type", "set");
            push.addAttribute("id", "push" + pushIds.incrementAndGet());
            push.addAttribute("to", session.jid().toString());
            Element query = RosterItemXml.query(change.version());
            RosterItemXml.addItem(query, change.contact(), change.item());
            push.add(query);
            context.send(new Stanza(push, null, session.jid()));
        }
    }

    private static CompletionStage<Element> error(Stanza iq, StanzaErrorCondition condition, String text) {
        return CompletableFuture.completedFuture(Stanzas.errorReply(iq.element(), StanzaError.of(condition, text)));
    }
}
