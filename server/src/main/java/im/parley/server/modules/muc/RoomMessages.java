package im.parley.server.modules.muc;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.Jid;

/**
 * Messages in a room: to all occupants (XEP-0045 §7.4), the subject (§8.1) and private messages
 * (§7.5), with the limit on how fast one occupant may send (issue 14 item 5). Runs in the room's
 * turn.
 */
final class RoomMessages {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final MucLimits limits;
    private final java.time.Clock clock;
    private final RoomArchive archive;

    RoomMessages(MucLimits limits, java.time.Clock clock, RoomArchive archive) {
        this.limits = limits;
        this.clock = clock;
        this.archive = archive;
    }

    /**
     * A message of type groupchat to the room's bare JID: to every occupant with the room's
     * {@code <stanza-id/>}, once it is in the room's archive if the room keeps one (its id is
     * the archive's, XEP-0313 §3 and XEP-0359 §3).
     */
    CompletionStage<Void> groupchat(Room room, Stanza message) {
        Occupant sender = room.occupantOf(message.from());
        if (sender == null) {
            // §7.4: "If the sender is not an occupant of the room, the service SHOULD return a <not-acceptable/> error".
            reject(room, message, StanzaErrorCondition.NOT_ACCEPTABLE, "only occupants may send messages to the room");
            return DONE;
        }
        Element subject = message.element().element("subject");
        if (subject != null && message.element().element("body") == null) {
            changeSubject(room, message, sender, subject.getText());
            return DONE;
        }
        if (room.config().moderated() && !sender.role().hasVoice()) {
            // §7.4: a visitor in a moderated room has no voice.
            reject(room, message, StanzaErrorCondition.FORBIDDEN, "you have no voice in this moderated room");
            return DONE;
        }
        if (!withinRate(room, message, sender)) {
            return DONE;
        }
        Element broadcast = stripped(message.element(), room);
        broadcast.addAttribute("from", sender.jid().toString());
        broadcast.remove(broadcast.attribute("to"));
        OccupantIds.stamp(broadcast, sender.occupantId());
        // XEP-0359 §3: a stanza id the room assigns, by the room.
        String id = UUID.randomUUID().toString();
        broadcast.addElement(QName.get("stanza-id", MucNamespaces.SID)).addAttribute("id", id)
                .addAttribute("by", room.jid().toString());
        boolean body = broadcast.element("body") != null;
        CompletionStage<Void> archived = body && room.config().archived()
                ? archive.append(room, sender.jid(), id, clock.instant(), broadcast) : DONE;
        return archived.thenRun(() -> {
            toAll(room, broadcast, sender.jid());
            if (body) {
                room.remember(broadcast, sender.jid());
            }
        });
    }

    /** §8.1: a moderator, or a participant where the configuration lets them, sets the subject. */
    private void changeSubject(Room room, Stanza message, Occupant sender, String text) {
        boolean allowed = sender.role() == Role.MODERATOR
                || (room.config().changeSubject() && sender.role().hasVoice());
        if (!allowed) {
            reject(room, message, StanzaErrorCondition.FORBIDDEN, "you may not change the subject of this room");
            return;
        }
        room.subject(text, sender.nick());
        for (Occupant occupant : room.occupants()) {
            for (Jid session : occupant.sessions()) {
                room.sendSubject(session, false);
            }
        }
    }

    /** §7.5: a message to one occupant JID, relayed from the sender's occupant JID. */
    void privateMessage(Room room, Stanza message) {
        if ("error".equals(message.type())) {
            return;
        }
        Occupant sender = room.occupantOf(message.from());
        if (sender == null) {
            reject(room, message, StanzaErrorCondition.NOT_ACCEPTABLE, "only occupants may send private messages");
            return;
        }
        if ("groupchat".equals(message.type())) {
            // §7.5: "the service MUST refuse to deliver the message ... and return a <bad-request/> error".
            reject(room, message, StanzaErrorCondition.BAD_REQUEST, "a private message is not of type groupchat");
            return;
        }
        Occupant recipient = room.occupant(message.to().getResourceOrNull().toString());
        if (recipient == null) {
            reject(room, message, StanzaErrorCondition.ITEM_NOT_FOUND, "no occupant has this nickname");
            return;
        }
        if (!room.config().allowPm().allows(sender.role())) {
            reject(room, message, StanzaErrorCondition.FORBIDDEN, "private messages are not allowed in this room");
            return;
        }
        if (!withinRate(room, message, sender)) {
            return;
        }
        Element relayed = stripped(message.element(), room);
        relayed.addAttribute("from", sender.jid().toString());
        OccupantIds.stamp(relayed, sender.occupantId());
        if (relayed.element(QName.get("x", MucNamespaces.USER_NS)) == null) {
            // §7.5: "the service SHOULD add an <x/> element qualified by the muc#user namespace".
            relayed.addElement(QName.get("x", MucNamespaces.USER_NS));
        }
        for (Jid session : recipient.sessions()) {
            Element copy = relayed.createCopy();
            copy.addAttribute("to", session.toString());
            room.send(new Stanza(copy, sender.jid(), session));
        }
    }

    /** Issue 14 item 5: beyond the occupant's messages per minute the room answers a policy error. */
    private boolean withinRate(Room room, Stanza message, Occupant sender) {
        if (sender.allowMessage(clock.millis(), limits.messagesPerMinute())) {
            return true;
        }
        reject(room, message, StanzaErrorCondition.POLICY_VIOLATION, "you are sending too fast: at most "
                + limits.messagesPerMinute() + " messages a minute in a room");
        return false;
    }

    /** To every occupant's every session, from the room's JID. */
    static void toAll(Room room, Element broadcast) {
        toAll(room, broadcast, room.jid());
    }

    /**
     * To every occupant's every session, from {@code from} (the JIDs are the room's: none is
     * parsed again; in a room of 500, parsing each copy's addresses was a quarter of the room's
     * time, docs/benchmarks.md, group chat).
     */
    static void toAll(Room room, Element broadcast, Jid from) {
        for (Occupant occupant : room.occupants()) {
            for (Jid session : occupant.sessions()) {
                Element copy = broadcast.createCopy();
                copy.addAttribute("to", session.toString());
                room.send(new Stanza(copy, from, session));
            }
        }
    }

    /** A copy without the stanza ids others claim the room gave (XEP-0359 §3.1: those are spoofed). */
    private static Element stripped(Element message, Room room) {
        Element copy = message.createCopy();
        for (Element id : List.copyOf(copy.elements(QName.get("stanza-id", MucNamespaces.SID)))) {
            if (room.jid().toString().equals(id.attributeValue("by"))) {
                copy.remove(id);
            }
        }
        return copy;
    }

    static void reject(Room room, Stanza stanza, StanzaErrorCondition condition, String text) {
        Bounces.reply(stanza, StanzaError.of(condition, text)).ifPresent(room::send);
    }
}
