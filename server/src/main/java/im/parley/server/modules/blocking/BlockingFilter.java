package im.parley.server.modules.blocking;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.AccountWork;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.session.LocalSession;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * Enforces block lists on the stanza path (XEP-0191 §3.3): nothing from a blocked JID reaches
 * the user, nothing from the user reaches a blocked JID. When a list is not in memory yet the
 * stanza's event is suspended while it loads, as one of the account's steps (so later stanzas
 * for the account wait behind it, RFC 6120 §10.1), and resumed with the answer.
 */
final class BlockingFilter {

    static final String ERRORS_NAMESPACE = "urn:xmpp:blocking:errors";

    private final ModuleContext context;
    private final BlockLists lists;

    BlockingFilter(ModuleContext context, BlockLists lists) {
        this.context = context;
        this.lists = lists;
    }

    /**
     * Stanzas to a local account from a JID it blocks. An account's requests to itself (its
     * roster, its vCard) are its own business, never filtered.
     */
    Verdict onInbound(StanzaEvent event) {
        Stanza stanza = event.stanza();
        EntityBareJid owner = stanza.to() == null ? null : stanza.to().asEntityBareJidIfPossible();
        if (owner == null || stanza.from() == null || stanza.isIq() && owner.equals(stanza.from().asBareJid())) {
            return Verdict.PASS;
        }
        Optional<BlockList> list = lists.cached(owner);
        if (list.isPresent()) {
            return rejectInbound(stanza, list.get()) ? Verdict.HANDLED : Verdict.PASS;
        }
        return whenLoaded(owner, event.work(), loaded -> rejectInbound(stanza, loaded));
    }

    /** Stanzas from a local client to a JID its account blocks. */
    Verdict onOutbound(StanzaEvent event) {
        Stanza stanza = event.stanza();
        if (stanza.to() == null) {
            return Verdict.PASS;
        }
        LocalSession origin = event.origin();
        EntityBareJid owner = origin.jid().asEntityBareJid();
        Optional<BlockList> list = lists.cached(owner);
        if (list.isPresent()) {
            return rejectOutbound(stanza, origin, list.get()) ? Verdict.HANDLED : Verdict.PASS;
        }
        return whenLoaded(owner, event.work(), loaded -> rejectOutbound(stanza, origin, loaded));
    }

    /**
     * Suspends the event until the list is loaded, in the stanza's turn, then resumes it with
     * {@code rejects}' answer (the rest of the routing runs within the turn too).
     */
    private Verdict whenLoaded(EntityBareJid owner, AccountWork work, Predicate<BlockList> rejects) {
        return Verdict.suspend(continuation -> work.defer(() -> lists.load(owner)
                .thenAccept(loaded -> continuation.resume(rejects.test(loaded) ? Verdict.HANDLED : Verdict.PASS))));
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

    private static Element lastChild(Element parent, String name) {
        List<Element> children = parent.elements(name);
        return children.get(children.size() - 1);
    }
}
