package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Message moderation (XEP-0425): a moderator retracts a groupchat message by the id of the
 * room's {@code <stanza-id/>}. The room tells every occupant with a XEP-0424 retraction from the
 * room's JID, naming the moderator's occupant JID and occupant id (§4), puts a tombstone (the
 * message with {@code <retracted/>} instead of its content, §5) in its archive and history, and
 * answers the moderator. Anyone else is {@code forbidden}; an id the room does not have
 * {@code item-not-found}. The current protocol is {@code urn:xmpp:message-moderate:1}; the
 * earlier {@code :0}, a XEP-0422 {@code <apply-to/>} fastening that older clients still send, is
 * accepted too and announced in its own form. Runs in the room's turn.
 */
final class RoomModeration {

    static final String MODERATE = "urn:xmpp:message-moderate:1";
    static final String RETRACT = "urn:xmpp:message-retract:1";
    static final String LEGACY_MODERATE = "urn:xmpp:message-moderate:0";
    static final String LEGACY_RETRACT = "urn:xmpp:message-retract:0";
    static final String FASTEN = "urn:xmpp:fasten:0";

    /** A moderation request: which message, why, and in which version of the protocol. */
    record Request(String id, String reason, boolean legacy) {
    }

    private final RoomArchive archive;
    private final Clock clock;

    RoomModeration(RoomArchive archive, Clock clock) {
        this.archive = archive;
        this.clock = clock;
    }

    /** The request in an IQ's payload, or empty if it is not one. */
    static Optional<Request> request(Element payload) {
        if (payload == null) {
            return Optional.empty();
        }
        if (payload.getQName().equals(QName.get("moderate", MODERATE))
                && payload.element(QName.get("retract", RETRACT)) != null) {
            return Optional.of(new Request(payload.attributeValue("id"), payload.elementText("reason"), false));
        }
        Element moderate = payload.element(QName.get("moderate", LEGACY_MODERATE));
        if (payload.getQName().equals(QName.get("apply-to", FASTEN)) && moderate != null
                && moderate.element(QName.get("retract", LEGACY_RETRACT)) != null) {
            return Optional.of(new Request(payload.attributeValue("id"), moderate.elementText("reason"), true));
        }
        return Optional.empty();
    }

    CompletionStage<Void> moderate(Room room, Stanza iq, Request request) {
        Occupant moderator = room.occupantOf(iq.from());
        if (moderator == null || moderator.role() != Role.MODERATOR) {
            // §4: "If the user is not a moderator, the MUC service MUST return a <forbidden/> error".
            RoomMessages.reject(room, iq, StanzaErrorCondition.FORBIDDEN, "only moderators retract messages");
            return CompletableFuture.completedFuture(null);
        }
        if (request.id() == null) {
            RoomMessages.reject(room, iq, StanzaErrorCondition.BAD_REQUEST, "name the message by its stanza id");
            return CompletableFuture.completedFuture(null);
        }
        Element remembered = room.remembered(request.id());
        CompletionStage<Optional<Element>> original = room.config().archived()
                ? archive.message(room, request.id())
                : CompletableFuture.completedFuture(Optional.ofNullable(remembered));
        return original.thenCompose(found -> {
            if (found.isEmpty()) {
                RoomMessages.reject(room, iq, StanzaErrorCondition.ITEM_NOT_FOUND, "the room has no message with this id");
                return CompletableFuture.completedFuture(null);
            }
            Element tombstone = tombstone(found.get(), room, moderator, request);
            room.rememberInstead(request.id(), tombstone);
            CompletionStage<Void> replaced = room.config().archived()
                    ? archive.replace(room, request.id(), tombstone) : CompletableFuture.completedFuture(null);
            return replaced.thenCompose(done -> announce(room, moderator, request)).thenRun(() -> {
                Element result = Stanzas.iqResult(iq.element());
                result.addAttribute("from", room.jid().toString());
                result.addAttribute("to", iq.from().toString());
                room.send(result);
            });
        });
    }

    /** §4: the retraction to every occupant, from the room, archived like a message of the room. */
    private CompletionStage<Void> announce(Room room, Occupant moderator, Request request) {
        Element message = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        message.addAttribute("type", "groupchat");
        message.addAttribute("from", room.jid().toString());
        message.addAttribute("id", UUID.randomUUID().toString());
        if (request.legacy()) {
            Element moderated = message.addElement(QName.get("apply-to", FASTEN)).addAttribute("id", request.id())
                    .addElement(QName.get("moderated", LEGACY_MODERATE));
            moderated.addAttribute("by", room.occupantJid(moderator.nick()).toString());
            moderated.addElement(QName.get("retract", LEGACY_RETRACT));
            reason(moderated, request, LEGACY_MODERATE);
            OccupantIds.stamp(moderated, moderator.occupantId());
        } else {
            Element retract = message.addElement(QName.get("retract", RETRACT)).addAttribute("id", request.id());
            moderated(retract, room, moderator);
            reason(retract, request, RETRACT);
        }
        String id = UUID.randomUUID().toString();
        message.addElement(QName.get("stanza-id", MucNamespaces.SID)).addAttribute("id", id)
                .addAttribute("by", room.jid().toString());
        CompletionStage<Void> archived = room.config().archived()
                ? archive.append(room, room.jid(), id, clock.instant(), message) : CompletableFuture.completedFuture(null);
        return archived.thenRun(() -> RoomMessages.toAll(room, message));
    }

    /** §5: the message as it was sent, its content replaced by {@code <retracted/>} (XEP-0424 §5.1). */
    private Element tombstone(Element original, Room room, Occupant moderator, Request request) {
        Element tombstone = DocumentHelper.createElement(original.getQName());
        original.attributes().forEach(attribute -> tombstone.addAttribute(attribute.getQName(), attribute.getValue()));
        for (String keep : new String[] {"stanza-id", "occupant-id"}) {
            for (Element child : original.elements()) {
                if (keep.equals(child.getName()) && !Namespaces.CLIENT.equals(child.getNamespaceURI())) {
                    tombstone.add(child.createCopy());
                }
            }
        }
        Element retracted = tombstone.addElement(QName.get("retracted", RETRACT))
                .addAttribute("stamp", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        moderated(retracted, room, moderator);
        reason(retracted, request, RETRACT);
        return tombstone;
    }

    private static void moderated(Element parent, Room room, Occupant moderator) {
        Element moderated = parent.addElement(QName.get("moderated", MODERATE))
                .addAttribute("by", room.occupantJid(moderator.nick()).toString());
        OccupantIds.stamp(moderated, moderator.occupantId());
    }

    private static void reason(Element parent, Request request, String namespace) {
        if (request.reason() != null && !request.reason().isBlank()) {
            parent.addElement(QName.get("reason", namespace)).setText(request.reason());
        }
    }
}
