package im.parley.server.modules.muc;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.mam.MamModule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * What each stanza to a room's bare JID or to one of its occupant JIDs does, in the room's turn
 * ({@link MucService}): presence enters, creates (XEP-0045 §7.2, §10.1.1) or leaves the room;
 * messages go to the room (§7.4) or to an occupant (§7.5); IQs go to the room's archive
 * (XEP-0313), its moderation (XEP-0425), its requests (§9, §10) or to an occupant (§6.6, XEP-0410).
 * Each returns the room as it is afterwards: null if there is none.
 */
final class RoomStanzas {

    private final LoadedRooms rooms;
    private final RoomServices services;
    private final Executor blocking;
    private final Consumer<Stanza> send;
    private final RoomMessages messages;
    private final RoomArchive archive;
    private final RoomModeration moderator;
    private final RoomRequests requests;
    private final RoomInvitations invitations = new RoomInvitations();
    private final OccupantIqs occupantIqs = new OccupantIqs();

    /** {@code send} takes the errors to stanzas that reach no room. */
    RoomStanzas(LoadedRooms rooms, RoomArchive archive, RoomServices services, Executor blocking,
                Consumer<Stanza> send) {
        this.rooms = rooms;
        this.services = services;
        this.blocking = blocking;
        this.send = send;
        this.archive = archive;
        this.moderator = new RoomModeration(archive, services.clock());
        this.messages = new RoomMessages(services.limits(), services.clock(), archive);
        this.requests = new RoomRequests(services.limits(), new RoomAdmin(), room -> room.destroyed(true));
    }

    // ---- presence ----

    /** §7.2 and §10.1.1: presence to an occupant JID enters, or creates the room. */
    CompletionStage<Room> presence(Room room, Stanza presence) {
        if (room != null) {
            room.presence(presence, false);
            return CompletableFuture.completedFuture(room);
        }
        EntityBareJid creator = presence.from().asEntityBareJidIfPossible();
        if (presence.type() != null || creator == null) {
            return CompletableFuture.completedFuture(null);
        }
        return PoolWork.supply(() -> rooms.ownedRooms(creator), blocking).thenApply(owned -> {
            if (owned >= services.limits().roomsPerUser()) {
                reject(presence, StanzaErrorCondition.RESOURCE_CONSTRAINT, "you own " + owned
                        + " rooms, the most this service allows; destroy one first");
                return null;
            }
            return create(presence, creator);
        });
    }

    private Room create(Stanza presence, EntityBareJid creator) {
        EntityBareJid jid = presence.to().asEntityBareJidIfPossible();
        Room room = new Room(jid, RoomConfig.defaults(Math.min(20, services.limits().historyLength())),
                Map.of(creator, Affiliation.OWNER), Map.of(), RoomSubject.NONE, services);
        if (presence.element().element(QName.get("x", MucNamespaces.MUC_NS)) != null) {
            // §10.1.1: a client that speaks MUC gets a locked room until it is configured; a
            // Groupchat 1.0 client (no <x/>) gets an instant room.
            room.lock();
        }
        rooms.add(room);
        room.presence(presence, true);
        return room;
    }

    /** §7.2.1: entering needs a nickname; presence to the bare room JID is an error (or leaves). */
    CompletionStage<Room> presenceToRoom(Room room, Stanza presence) {
        Occupant occupant = room == null ? null : room.occupantOf(presence.from());
        if (occupant != null && "unavailable".equals(presence.type())) {
            room.exit(occupant, presence.from(), presence.element(), List.of());
        } else if (presence.type() == null) {
            reject(presence, StanzaErrorCondition.JID_MALFORMED, "enter a room as room@service/nickname");
        }
        return CompletableFuture.completedFuture(room);
    }

    // ---- messages ----

    CompletionStage<Room> messageToRoom(Room room, Stanza message) {
        if (room == null) {
            reject(message, StanzaErrorCondition.ITEM_NOT_FOUND, "there is no such room");
        } else if ("groupchat".equals(message.type())) {
            return messages.groupchat(room, message).thenApply(done -> room);
        } else if ("error".equals(message.type())) {
            Occupant occupant = room.occupantOf(message.from());
            if (occupant != null) {
                // An occupant that cannot take the room's messages is gone (as Prosody does).
                room.exit(occupant, message.from(), null, List.of(OccupantPresence.REMOVED_BY_ERROR));
            }
        } else if (!RegistrationApprovals.handle(room, message) && !invitations.handle(room, message)) {
            reject(message, StanzaErrorCondition.BAD_REQUEST, "messages to the room are of type groupchat");
        }
        return CompletableFuture.completedFuture(room);
    }

    CompletionStage<Room> messageToOccupant(Room room, Stanza message) {
        if (room == null) {
            reject(message, StanzaErrorCondition.ITEM_NOT_FOUND, "there is no such room");
        } else {
            messages.privateMessage(room, message);
        }
        return CompletableFuture.completedFuture(room);
    }

    // ---- IQs ----

    CompletionStage<Room> iq(Room room, Stanza iq) {
        if (!"get".equals(iq.type()) && !"set".equals(iq.type())) {
            return CompletableFuture.completedFuture(room);
        }
        if (room == null || room.locked() && !isOwner(room, iq)) {
            // §6.4, §7.2.11: a room that does not exist, or is locked, is not found.
            reject(iq, StanzaErrorCondition.ITEM_NOT_FOUND, "there is no such room");
            return CompletableFuture.completedFuture(room);
        }
        Element payload = iq.element().elements().size() == 1 ? iq.element().elements().get(0) : null;
        if (payload != null && MamModule.NAMESPACE.equals(payload.getNamespaceURI())
                && "query".equals(payload.getName())) {
            return archive.query(room, iq, payload).thenApply(done -> room);
        }
        Optional<RoomModeration.Request> moderation = "set".equals(iq.type())
                ? RoomModeration.request(payload) : Optional.empty();
        if (moderation.isPresent()) {
            return moderator.moderate(room, iq, moderation.get()).thenApply(done -> room);
        }
        Element answer = requests.answer(room, iq);
        answer.addAttribute("from", room.jid().toString());
        room.send(new Stanza(answer, room.jid(), iq.from()));
        return CompletableFuture.completedFuture(room);
    }

    CompletionStage<Room> iqToOccupant(Room room, Stanza iq) {
        boolean ping = SelfPing.isPing(iq);
        if (room == null) {
            // XEP-0410 §3.3: whoever pings into a room that does not exist is not joined to it.
            reject(iq, ping ? StanzaErrorCondition.NOT_ACCEPTABLE : StanzaErrorCondition.ITEM_NOT_FOUND,
                    "there is no such room");
        } else if (!ping || !SelfPing.answer(room, iq)) {
            occupantIqs.handle(room, iq);
        }
        return CompletableFuture.completedFuture(room);
    }

    private static boolean isOwner(Room room, Stanza iq) {
        EntityBareJid user = iq.from().asEntityBareJidIfPossible();
        return user != null && room.affiliation(user) == Affiliation.OWNER;
    }

    private void reject(Stanza stanza, StanzaErrorCondition condition, String text) {
        Bounces.reply(stanza, StanzaError.of(condition, text)).ifPresent(send);
    }
}
