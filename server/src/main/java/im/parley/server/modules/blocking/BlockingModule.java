package im.parley.server.modules.blocking;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.session.LocalSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;

/**
 * Blocking Command (XEP-0191): an account retrieves (§3.2), extends (§3.3) and shrinks (§3.4,
 * §3.5) its block list; the server enforces it on every stanza to and from the account
 * ({@link BlockingFilter}).
 *
 * <p>In a cluster a change is made on the node of the resource that sent it, and pushed from
 * there: a resource that retrieved the list is announced ({@link SessionEvents#BLOCK_LIST_REQUESTED})
 * and shared with its route, and a session of another node gets the pushes when its node shared
 * that ({@link LocalSession#sharedBlockListInterest()}).
 */
public final class BlockingModule implements XmppModule {

    public static final String NAMESPACE = "urn:xmpp:blocking";

    private final AtomicLong pushIds = new AtomicLong();
    /** XEP-0191 §3.2: resources of this node that retrieved the list get pushes (§3.3, §3.4). */
    private final Set<EntityFullJid> interested = ConcurrentHashMap.newKeySet();
    private ModuleContext context;
    private BlockLists lists;

    @Override
    public String name() {
        return "blocking";
    }

    @Override
    public void load(ModuleContext context) {
        this.context = context;
        this.lists = new BlockLists(context.storage().blockLists(), context.blocking(), context.sessions());
        BlockingFilter filter = new BlockingFilter(context, lists);
        for (String kind : StanzaEvents.KINDS) {
            context.hook(StanzaEvents.to(kind, Shape.BARE), EventPriority.FILTER, filter::onInbound);
            context.hook(StanzaEvents.to(kind, Shape.FULL), EventPriority.FILTER, filter::onInbound);
            for (var type : StanzaEvents.pre(kind)) {
                context.hook(type, EventPriority.FILTER, filter::onOutbound);
            }
        }
        context.hook(SessionEvents.BOUND, 0, this::onBound);
        context.hook(SessionEvents.CLOSED, 0, this::onClosed);
        context.handleAccountIq(NAMESPACE, this::handle);
        context.addServerFeature(NAMESPACE);
    }

    /** Loads the list while the client is still negotiating, so its first stanzas are not held. */
    private Verdict onBound(LocalSession session) {
        lists.whenLoaded(session.jid().asEntityBareJid(), list -> { });
        return Verdict.PASS;
    }

    private Verdict onClosed(LocalSession session) {
        interested.remove(session.jid());
        EntityBareJid owner = session.jid().asEntityBareJid();
        if (context.sessions().sessionsOf(owner).isEmpty()) {
            lists.evict(owner);
        }
        return Verdict.PASS;
    }

    private CompletionStage<Element> handle(Stanza iq) {
        EntityBareJid owner = iq.from().asEntityBareJidIfPossible();
        if (owner == null || (iq.to() != null && !iq.to().equals(owner))) {
            // XEP-0191 §3: the commands are sent without 'to', to one's own server.
            return error(iq, StanzaErrorCondition.FORBIDDEN);
        }
        Element command = iq.element().elements().get(0);
        String action = iq.type() + " " + command.getName();
        return switch (action) {
            case "get blocklist" -> PoolWork.supply(() -> blocklist(iq, owner), context.blocking());
            case "set block", "set unblock" -> change(iq, owner, command);
            default -> error(iq, StanzaErrorCondition.BAD_REQUEST);
        };
    }

    /** XEP-0191 §3.2: one item per blocked JID, or an empty list. */
    private Element blocklist(Stanza iq, EntityBareJid owner) {
        if (iq.from() instanceof EntityFullJid full && interested.add(full)) {
            context.sessions().find(full)
                    .ifPresent(session -> context.fire(SessionEvents.BLOCK_LIST_REQUESTED, session));
        }
        Element result = Stanzas.iqResult(iq.element());
        Element list = result.addElement(QName.get("blocklist", NAMESPACE));
        lists.current(owner).jids().stream()
                .sorted(Comparator.comparing(Jid::toString))
                .forEach(jid -> list.addElement(QName.get("item", NAMESPACE)).addAttribute("jid", jid.toString()));
        return result;
    }

    /**
     * XEP-0191 §3.3 (block: at least one item, else bad-request), §3.4 (unblock some) and §3.5
     * (unblock without items: all). The result is sent before the pushes, as in the XEP's
     * examples, so the handler routes it itself.
     */
    private CompletionStage<Element> change(Stanza iq, EntityBareJid owner, Element command) {
        boolean block = "block".equals(command.getName());
        List<Jid> jids = new ArrayList<>();
        for (Element item : command.elements("item")) {
            try {
                jids.add(Jids.parse(item.attributeValue("jid", "")));
            } catch (JidMalformedException e) {
                return error(iq, StanzaErrorCondition.JID_MALFORMED);
            }
        }
        if (block && jids.isEmpty()) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST);
        }
        return PoolWork.supply(() -> {
            lists.change(owner, store -> {
                if (block) {
                    store.add(owner, jids);
                } else if (jids.isEmpty()) {
                    store.clear(owner);
                } else {
                    store.remove(owner, jids);
                }
            });
            context.send(new Stanza(Stanzas.iqResult(iq.element()), owner, iq.from()));
            if (block) {
                sendUnavailable(owner, jids);
            }
            push(owner, command);
            return null;
        }, context.blocking());
    }

    /**
     * XEP-0191 §3.3: the blocked contacts see the user go offline: unavailable presence from each
     * available resource. Domain items name no one to tell.
     */
    private void sendUnavailable(EntityBareJid owner, List<Jid> blocked) {
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            if (!session.isAvailable()) {
                continue;
            }
            for (Jid contact : blocked) {
                if (contact.hasLocalpart()) {
                    Element presence = DocumentHelper.createElement(QName.get("presence", Namespaces.CLIENT));
                    presence.addAttribute("type", "unavailable");
                    presence.addAttribute("from", session.jid().toString());
                    presence.addAttribute("to", contact.toString());
                    context.send(new Stanza(presence, session.jid(), contact));
                }
            }
        }
    }

    /** XEP-0191 §3.3, §3.4: the change, pushed to every resource that retrieved the list, on any node. */
    private void push(EntityBareJid owner, Element command) {
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            if (!interested.contains(session.jid()) && !session.sharedBlockListInterest()) {
                continue;
            }
            Element push = DocumentHelper.createElement(QName.get("iq", Namespaces.CLIENT));
            push.addAttribute("type", "set");
            push.addAttribute("id", "block-push-" + pushIds.incrementAndGet());
            push.addAttribute("to", session.jid().toString());
            push.add(command.createCopy());
            context.send(new Stanza(push, owner, session.jid()));
        }
    }

    private static CompletionStage<Element> error(Stanza iq, StanzaErrorCondition condition) {
        return CompletableFuture.completedFuture(Stanzas.errorReply(iq.element(), StanzaError.of(condition)));
    }
}
