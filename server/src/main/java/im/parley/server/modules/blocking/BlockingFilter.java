package im.parley.server.modules.blocking;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.session.LocalSession;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * Enforces block lists on the stanza path (XEP-0191 §3.3): nothing from a blocked JID reaches
 * the user, nothing from the user reaches a blocked JID. When a list is not in memory yet the
 * stanza is held, and routed again once the list is loaded and allows it.
 */
final class BlockingFilter {

    static final String ERRORS_NAMESPACE = "urn:xmpp:blocking:errors";

    /** A stanza this filter already let through and routes again: it must not be held twice. */
    private record Cleared(Element stanza, boolean outbound) {
    }

    private final ModuleContext context;
    private final BlockLists lists;
    private final ThreadLocal<Cleared> cleared = new ThreadLocal<>();

    BlockingFilter(ModuleContext context, BlockLists lists) {
        this.context = context;
        this.lists = lists;
    }

    /** Stanzas to a local account from a JID it blocks. */
    Verdict onInbound(StanzaEvents.Inbound event) {
        Stanza stanza = event.stanza();
        EntityBareJid owner = stanza.to() == null ? null : stanza.to().asEntityBareJidIfPossible();
        if (owner == null || stanza.from() == null || isCleared(stanza.element(), false)) {
            return Verdict.PASS;
        }
        Optional<BlockList> list = lists.cached(owner);
        if (list.isPresent()) {
            return rejectInbound(stanza, list.get()) ? Verdict.HANDLED : Verdict.PASS;
        }
        lists.whenLoaded(owner, loaded -> {
            if (!rejectInbound(stanza, loaded)) {
                routeAgain(stanza, false, () -> context.send(stanza));
            }
        });
        return Verdict.HANDLED;
    }

    /** Stanzas from a local client to a JID its account blocks. */
    Verdict onOutbound(StanzaEvents.Outbound event) {
        Stanza stanza = event.stanza();
        if (stanza.to() == null || isCleared(stanza.element(), true)) {
            return Verdict.PASS;
        }
        LocalSession origin = event.origin();
        EntityBareJid owner = origin.jid().asEntityBareJid();
        Optional<BlockList> list = lists.cached(owner);
        if (list.isPresent()) {
            return rejectOutbound(stanza, origin, list.get()) ? Verdict.HANDLED : Verdict.PASS;
        }
        lists.whenLoaded(owner, loaded -> {
            if (!rejectOutbound(stanza, origin, loaded)) {
                // Lower-priority modules still see the stanza, then the router routes it.
                routeAgain(stanza, true, () -> {
                    if (!context.fire(StanzaEvents.OUTBOUND, event)) {
                        context.send(stanza);
                    }
                });
            }
        });
        return Verdict.HANDLED;
    }

    /**
     * XEP-0191 §3.3: presence from a blocked JID is dropped without an error; messages and IQ
     * requests are answered {@code service-unavailable}, so the user appears offline; IQ
     * responses and errors are dropped.
     */
    private boolean rejectInbound(Stanza stanza, BlockList list) {
        if (!list.blocks(stanza.from())) {
            return false;
        }
        boolean answer = (stanza.isMessage() || stanza.isIq()) && !stanza.isError()
                && !Stanzas.isIqResponse(stanza.element());
        if (answer) {
            Element reply = Stanzas.errorReply(stanza.element(), StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE));
            context.send(new Stanza(reply, stanza.to(), stanza.from()));
        }
        return true;
    }

    /**
     * XEP-0191 §3.3: a stanza to a blocked JID is not routed; the user gets {@code not-acceptable}
     * with {@code <blocked xmlns='urn:xmpp:blocking:errors'/>}. The error goes straight to the
     * sending session: routed, it would come from the blocked JID and be filtered itself.
     */
    private boolean rejectOutbound(Stanza stanza, LocalSession origin, BlockList list) {
        if (!list.blocks(stanza.to())) {
            return false;
        }
        if (!stanza.isError() && !Stanzas.isIqResponse(stanza.element())) {
            Element reply = Stanzas.errorReply(stanza.element(), StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE));
            lastChild(reply, "error").addElement(QName.get("blocked", ERRORS_NAMESPACE));
            origin.deliver(reply);
        }
        return true;
    }

    private boolean isCleared(Element stanza, boolean outbound) {
        Cleared marker = cleared.get();
        return marker != null && marker.stanza() == stanza && marker.outbound() == outbound;
    }

    private void routeAgain(Stanza stanza, boolean outbound, Runnable route) {
        Cleared previous = cleared.get();
        cleared.set(new Cleared(stanza.element(), outbound));
        try {
            route.run();
        } finally {
            if (previous == null) {
                cleared.remove();
            } else {
                cleared.set(previous);
            }
        }
    }

    private static Element lastChild(Element parent, String name) {
        List<Element> children = parent.elements(name);
        return children.get(children.size() - 1);
    }
}
