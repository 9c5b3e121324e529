package im.parley.server.modules.delivery;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import im.parley.server.session.LocalSession;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Default delivery of stanzas to local accounts (RFC 6121 §8.5): hooks {@code message/bare},
 * {@code message/full}, {@code presence/bare}, {@code presence/full} and {@code iq/full} at
 * {@link EventPriority#DELIVER} and hands each stanza to the account's sessions through the
 * route table. Features hook the same events before it (filters, archive, carbons) or take a
 * stanza away from it (group chat on its own host). A message that no resource can take fires
 * {@link StanzaEvents#MESSAGE_OFFLINE} for offline storage.
 */
public final class DeliveryModule implements XmppModule {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryModule.class);

    private ModuleContext context;

    @Override
    public String name() {
        return "delivery";
    }

    @Override
    public void load(ModuleContext moduleContext) {
        this.context = moduleContext;
        context.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.DELIVER, this::messageToBareJid);
        context.hook(StanzaEvents.to("message", Shape.FULL), EventPriority.DELIVER, this::messageToFullJid);
        context.hook(StanzaEvents.to("presence", Shape.BARE), EventPriority.DELIVER, this::presenceToBareJid);
        context.hook(StanzaEvents.to("presence", Shape.FULL), EventPriority.DELIVER, this::presenceToFullJid);
        context.hook(StanzaEvents.to("iq", Shape.FULL), EventPriority.DELIVER, this::iqToFullJid);
    }

    /**
     * RFC 6121 §8.5.2.1.1, by type: {@code error} "the server MUST silently ignore the message";
     * {@code groupchat} "MUST NOT deliver [...] but instead MUST return a stanza error [...]
     * &lt;service-unavailable/&gt;" (group chat is served on its own host, XEP-0045);
     * {@code headline} "MUST deliver the message to all of the non-negative resources";
     * {@code normal} and {@code chat} to the "most available" resources, those with the highest
     * non-negative priority. "For any message type the server MUST NOT deliver the stanza to any
     * available resource with a negative priority." §8.5.2.2.1, with no such resource: offline
     * storage may take the message (XEP-0160; a headline only with XEP-0334's {@code <store/>})
     * through {@link StanzaEvents#MESSAGE_OFFLINE}, else the sender of a {@code normal} or
     * {@code chat} message gets {@code service-unavailable}; "For a message stanza of type
     * "headline" or "error", the server MUST silently ignore the message."
     */
    private Verdict messageToBareJid(StanzaEvent event) {
        Stanza stanza = event.stanza();
        EntityBareJid account = recipient(stanza);
        if (account == null) {
            return Verdict.PASS;
        }
        String type = typeOf(stanza);
        switch (type) {
            case "error" -> LOG.debug("ignoring an error message to the bare JID {}", account);
            case "groupchat" -> bounce(event, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            case "headline" -> deliver(event, nonNegativeResources(account, false),
                    () -> LOG.debug("ignoring a headline for {}: no resource can take it", account));
            default -> deliver(event, nonNegativeResources(account, true),
                    () -> bounce(event, StanzaErrorCondition.SERVICE_UNAVAILABLE));
        }
        return Verdict.HANDLED;
    }

    /**
     * To {@code resources}; with none, offline storage may still take the message (a
     * {@code normal} or {@code chat} one, or any with the XEP-0334 {@code <store/>} hint), else
     * {@code unstored} runs.
     */
    private void deliver(StanzaEvent event, List<LocalSession> resources, Runnable unstored) {
        if (resources.isEmpty()) {
            context.fire(StanzaEvents.MESSAGE_OFFLINE, event, unstored);
            return;
        }
        deliver(event, resources);
    }

    /** Hands the message to {@code recipients}, then tells who got it ({@link StanzaEvents#MESSAGE_DELIVERED}). */
    private void deliver(StanzaEvent event, List<LocalSession> recipients) {
        for (LocalSession recipient : recipients) {
            recipient.deliver(event.stanza().element(), event.handling());
        }
        context.fire(StanzaEvents.MESSAGE_DELIVERED, new StanzaEvents.Delivered(event, recipients));
    }

    /** The available resources with a non-negative priority: all of them, or only those with the highest priority. */
    private List<LocalSession> nonNegativeResources(EntityBareJid account, boolean highestOnly) {
        List<LocalSession> available = context.sessions().sessionsOf(account).stream()
                .filter(session -> session.isAvailable() && session.priority() >= 0).toList();
        if (!highestOnly) {
            return available;
        }
        int highest = available.stream().mapToInt(LocalSession::priority).max().orElse(0);
        return available.stream().filter(session -> session.priority() == highest).toList();
    }

    /**
     * RFC 6121 §8.5.3.1: to the resource if it is bound. §8.5.3.2.1 otherwise: {@code chat} "as
     * if" to the bare JID (the account's {@code message/bare} handlers see it: delivery to the most
     * available resources, else offline storage); {@code normal}, {@code groupchat} and
     * {@code headline} "MUST either (a) silently ignore the stanza or (b) return an error stanza
     * [...] &lt;service-unavailable/&gt;": {@code normal} and {@code groupchat} are answered, so
     * that the sender learns nobody got them (a {@code normal} message is not stored for a
     * resource that is gone, and handing it to another resource would show a conversation where
     * the sender did not address it); a {@code headline} is ignored (no reply is expected to one,
     * RFC 6121 §5.2.2); and "For a
     * message stanza of type "error", the server MUST silently ignore the stanza."
     */
    private Verdict messageToFullJid(StanzaEvent event) {
        Optional<LocalSession> session = boundSession(event.stanza());
        if (session.isPresent()) {
            deliver(event, List.of(session.get()));
            return Verdict.HANDLED;
        }
        String type = typeOf(event.stanza());
        switch (type) {
            case "chat" -> context.fire(StanzaEvents.to("message", Shape.BARE), event,
                    () -> bounce(event, StanzaErrorCondition.SERVICE_UNAVAILABLE));
            case "normal", "groupchat" -> bounce(event, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            default -> LOG.debug("ignoring a {} message for the unavailable resource {}", type, event.stanza().to());
        }
        return Verdict.HANDLED;
    }

    /**
     * RFC 6121 §8.5.2.1.2: presence goes to every available resource. Presence without
     * {@code to} is the sender's broadcast (§4.2.2), which the presence module sent from its
     * {@code pre-presence/bare} handler: nothing is delivered for it here.
     */
    private Verdict presenceToBareJid(StanzaEvent event) {
        Stanza stanza = event.stanza();
        if (stanza.to() == null) {
            return Verdict.HANDLED;
        }
        EntityBareJid account = recipient(stanza);
        if (account != null) {
            for (LocalSession session : context.sessions().sessionsOf(account)) {
                if (session.isAvailable()) {
                    session.deliver(stanza.element(), event.handling());
                }
            }
        }
        return Verdict.HANDLED;
    }

    /**
     * RFC 6121 §8.5.3.1: to the resource if it is bound; §8.5.3.2.2: available and unavailable
     * presence for a resource that is not there is dropped. Subscription stanzas and probes
     * (§8.5.3.2.3) are the presence module's, handled before delivery.
     */
    private Verdict presenceToFullJid(StanzaEvent event) {
        boundSession(event.stanza()).ifPresent(session -> session.deliver(event.stanza().element(), event.handling()));
        return Verdict.HANDLED;
    }

    /** RFC 6121 §8.5.3.1 and §8.5.3.2.1: to the resource, or {@code service-unavailable} for a request. */
    private Verdict iqToFullJid(StanzaEvent event) {
        Optional<LocalSession> session = boundSession(event.stanza());
        if (session.isPresent()) {
            session.get().deliver(event.stanza().element(), event.handling());
        } else {
            bounce(event, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        return Verdict.HANDLED;
    }

    private Optional<LocalSession> boundSession(Stanza stanza) {
        EntityFullJid full = stanza.to() == null ? null : stanza.to().asEntityFullJidIfPossible();
        return full == null ? Optional.empty() : context.sessions().find(full);
    }

    /** The account a stanza is for: its {@code to}, or the sender's own account without one (RFC 6120 §10.3). */
    private static EntityBareJid recipient(Stanza stanza) {
        if (stanza.to() != null) {
            return stanza.to().asEntityBareJidIfPossible();
        }
        return stanza.from() == null ? null : stanza.from().asEntityBareJidIfPossible();
    }

    private static String typeOf(Stanza stanza) {
        return stanza.type() == null ? "normal" : stanza.type();
    }

    private void bounce(StanzaEvent event, StanzaErrorCondition condition) {
        Bounces.reply(event.stanza(), condition).ifPresent(reply -> context.send(reply, event.handling()));
    }
}
