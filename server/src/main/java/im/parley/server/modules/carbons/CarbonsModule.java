package im.parley.server.modules.carbons;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.EventPriority;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import im.parley.server.session.LocalSession;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * Message Carbons (XEP-0280): every resource of a user that enables carbons gets a copy of the
 * conversations the user's other resources have, both what they receive (§6, wrapped in
 * {@code <received/>}) and what they send (§7, wrapped in {@code <sent/>}), so that a
 * conversation moves between phone and laptop without gaps.
 *
 * <p>Received copies follow delivery ({@link StanzaEvents#MESSAGE_DELIVERED}: the resources that
 * got the original get no copy); sent copies go out as the client's message is routed
 * ({@code pre-message/*}, after the outbound filters). Which messages are copied:
 * {@link CarbonRules}. A resource's choice lasts as long as its session, resumptions included.
 *
 * <p>In a cluster the message is routed on its sender's node, so a resource connected to another
 * node gets its copies from there: the choice is fired ({@link SessionEvents#CARBONS}) and
 * shared with the session's route, and a session of another node counts as enabled when its node
 * shared that ({@link LocalSession#sharedCarbons()}); the copy goes to its node like any stanza
 * delivered to it.
 */
public final class CarbonsModule implements XmppModule {

    /** The protocol namespace (XEP-0280 §11.1). */
    public static final String NAMESPACE = CarbonRules.CARBONS;
    static final String FORWARD = "urn:xmpp:forward:0";

    /** This node's sessions with carbons enabled. */
    private final Set<LocalSession> enabled = ConcurrentHashMap.newKeySet();
    private ModuleContext context;

    @Override
    public String name() {
        return "carbons";
    }

    @Override
    public void load(ModuleContext moduleContext) {
        this.context = moduleContext;
        // §3: the server announces support in its own service discovery information.
        context.addServerFeature(NAMESPACE);
        context.handleAccountIq(NAMESPACE, this::onRequest);
        for (var type : StanzaEvents.pre("message")) {
            context.hook(type, EventPriority.OBSERVE, this::onSent);
        }
        context.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.STAMP, this::withoutPrivate);
        context.hook(StanzaEvents.to("message", Shape.FULL), EventPriority.STAMP, this::withoutPrivate);
        context.hook(StanzaEvents.MESSAGE_DELIVERED, EventPriority.OBSERVE, this::onDelivered);
        context.hook(SessionEvents.CLOSED, 0, session -> {
            enabled.remove(session);
            return Verdict.PASS;
        });
    }

    /**
     * §4 and §5: {@code <enable/>} and {@code <disable/>} in an IQ-set from the client to its own
     * account; repeating either is no error (§10.1). Another entity cannot switch a client's
     * carbons: {@code not-allowed}.
     */
    private CompletionStage<Element> onRequest(Stanza iq) {
        if (!"set".equals(iq.type())) {
            return answer(Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.BAD_REQUEST)));
        }
        EntityFullJid requester = iq.from() == null ? null : iq.from().asEntityFullJidIfPossible();
        boolean ownAccount = requester != null
                && (iq.to() == null || requester.asEntityBareJid().equals(iq.to().asBareJid()));
        Optional<LocalSession> session = ownAccount ? context.sessions().find(requester) : Optional.empty();
        if (session.isEmpty()) {
            return answer(Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.NOT_ALLOWED)));
        }
        switch (iq.element().elements().get(0).getName()) {
            case "enable" -> choose(session.get(), true);
            case "disable" -> choose(session.get(), false);
            default -> {
                return answer(Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.BAD_REQUEST)));
            }
        }
        return answer(Stanzas.iqResult(iq.element()));
    }

    /** Records a session's choice and, if it changed, tells the cluster ({@link SessionEvents#CARBONS}). */
    private void choose(LocalSession session, boolean enable) {
        boolean changed = enable ? enabled.add(session) : enabled.remove(session);
        if (changed) {
            context.fire(SessionEvents.CARBONS, new SessionEvents.CarbonsChoice(session, enable));
        }
    }

    /** §4: enabled on this node, or, for a session of another node of a cluster, enabled there. */
    private boolean isEnabled(LocalSession session) {
        return enabled.contains(session) || session.sharedCarbons();
    }

    /** §7: a copy of what a client sends to each of the user's other carbons-enabled resources. */
    private Verdict onSent(StanzaEvent event) {
        LocalSession origin = event.origin();
        if (origin == null || !CarbonRules.isEligible(event.stanza().element())) {
            return Verdict.PASS;
        }
        EntityBareJid owner = origin.jid().asEntityBareJid();
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            if (session != origin && isEnabled(session)) {
                session.deliver(copy("sent", event.stanza().element(), owner, session.jid()));
            }
        }
        return Verdict.PASS;
    }

    /** §8: the recipient's server removes {@code <private/>} before delivery. */
    private Verdict withoutPrivate(StanzaEvent event) {
        Stanza stanza = event.stanza();
        if (CarbonRules.isPrivate(stanza.element())) {
            Element stripped = stanza.element().createCopy();
            for (Element mark : stripped.elements(QName.get("private", NAMESPACE))) {
                stripped.remove(mark);
            }
            event.replace(new Stanza(stripped, stanza.from(), stanza.to()));
        }
        return Verdict.PASS;
    }

    /**
     * §6: after delivery, a copy to each carbons-enabled resource of the recipient that did not
     * get the original. Eligibility is judged on the message as it was sent ({@code <private/>}
     * was removed before delivery). A recipient is known by its full JID: a session of another
     * node is a new object each time its node shares a change.
     */
    private Verdict onDelivered(StanzaEvents.Delivered delivered) {
        StanzaEvent event = delivered.event();
        if (!CarbonRules.isEligible(event.original().element())) {
            return Verdict.PASS;
        }
        Stanza message = event.stanza();
        EntityBareJid owner = (message.to() != null ? message.to() : message.from()).asEntityBareJidIfPossible();
        if (owner == null) {
            return Verdict.PASS;
        }
        Set<EntityFullJid> recipients = delivered.recipients().stream().map(LocalSession::jid)
                .collect(Collectors.toSet());
        for (LocalSession session : context.sessions().sessionsOf(owner)) {
            if (isEnabled(session) && !recipients.contains(session.jid())) {
                session.deliver(copy("received", message.element(), owner, session.jid()));
            }
        }
        return Verdict.PASS;
    }

    /**
     * The wrapper of §6 and §7: from the user's bare JID to the resource, of the original's type,
     * with the original inside {@code <forwarded/>} (XEP-0297).
     */
    static Element copy(String direction, Element original, EntityBareJid owner, EntityFullJid to) {
        Element wrapper = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        wrapper.addAttribute("from", owner.toString());
        wrapper.addAttribute("to", to.toString());
        String type = original.attributeValue("type");
        if (type != null) {
            wrapper.addAttribute("type", type);
        }
        wrapper.addElement(QName.get(direction, NAMESPACE))
                .addElement(QName.get("forwarded", FORWARD))
                .add(original.createCopy());
        return wrapper;
    }

    private static CompletionStage<Element> answer(Element reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
