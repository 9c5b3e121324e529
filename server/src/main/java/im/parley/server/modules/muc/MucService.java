package im.parley.server.modules.muc;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.mam.MamModule;
import im.parley.server.session.StateHomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MUC service ({@code conference.<domain>}): its discovery (XEP-0045 §6.1 to §6.3), the
 * rooms it holds, their creation (§10.1) and lazy loading, and the stanzas to rooms and
 * occupants handed to them.
 *
 * <p>Ordering: the router gives every stanza for a room, or for one of its occupant JIDs, a turn
 * among the stanzas of the room's bare JID, as it does for an account ({@code AccountStep}). The
 * service does all room work as work deferred into that turn, so one room's state is touched by
 * one stanza at a time and the next stanza for the room waits until its storage is written; no
 * event loop waits for the database (it runs on the blocking executor).
 */
final class MucService {

    private static final Logger LOG = LoggerFactory.getLogger(MucService.class);
    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);
    private static final Namespace ITEMS = Namespace.get(ServerInfo.DISCO_ITEMS);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    /** What a room does with a stanza (the room is null if it does not exist). */
    @FunctionalInterface
    private interface RoomWork {
        CompletionStage<Room> handle(Room room, Stanza stanza);
    }

    private final ModuleContext context;
    private final DomainBareJid domain;
    private final JdbcRoomStore store;
    private final Executor blocking;
    private final RoomServices services;
    private final RoomMessages messages;
    private final RoomArchive archive;
    private final RoomModeration moderator;
    private final RoomRequests requests;
    private final RoomInvitations invitations = new RoomInvitations();
    private final OccupantIqs occupantIqs = new OccupantIqs();
    private final StateHomes homes;
    private final Map<EntityBareJid, Room> rooms = new ConcurrentHashMap<>();
    /** Rooms that have a row in the store (loaded from it, or saved since). */
    private final Map<EntityBareJid, Boolean> stored = new ConcurrentHashMap<>();

    MucService(ModuleContext serviceContext, JdbcRoomStore store, RoomArchive archive, RoomServices services) {
        this.context = serviceContext;
        this.domain = serviceContext.host().domain();
        this.store = store;
        this.blocking = serviceContext.blocking();
        this.services = services;
        this.archive = archive;
        this.moderator = new RoomModeration(archive, services.clock());
        this.messages = new RoomMessages(services.limits(), services.clock(), archive);
        this.requests = new RoomRequests(services.limits(), new RoomAdmin(), room -> room.destroyed(true));
        this.homes = serviceContext.sessions().homes();
    }

    void register() {
        context.handleServerIq(ServerInfo.DISCO_INFO, iq -> CompletableFuture.completedFuture(serviceInfo(iq)));
        context.handleServerIq(ServerInfo.DISCO_ITEMS, this::serviceItems);
        context.hook(StanzaEvents.to("presence", Shape.FULL), EventPriority.HANDLE, event -> inRoom(event, this::presence));
        context.hook(StanzaEvents.to("presence", Shape.BARE), EventPriority.HANDLE,
                event -> inRoom(event, this::presenceToRoom));
        context.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.HANDLE,
                event -> inRoom(event, this::messageToRoom));
        context.hook(StanzaEvents.to("message", Shape.FULL), EventPriority.HANDLE,
                event -> inRoom(event, this::messageToOccupant));
        context.hook(StanzaEvents.to("iq", Shape.BARE), EventPriority.HANDLE, event -> inRoom(event, this::iq));
        context.hook(StanzaEvents.to("iq", Shape.FULL), EventPriority.HANDLE, event -> inRoom(event, this::iqToOccupant));
    }

    /**
     * Runs {@code work} in the room's turn, with the room loaded; then stores or forgets it. On a
     * cluster a room lives on one node ({@link StateHomes}): a stanza for a room whose home is
     * another node goes there, in the room's turn here, and the turn lasts until that node
     * confirmed that the room handled it. So one sender's stanzas reach the room in order and
     * each is taken there before the next is handed on (RFC 6120 §10.1), and the stanza counts as
     * handled for its sender (XEP-0198 §4) only once the room took it. If the home left, or did
     * not confirm in time, this node handles the stanza ({@link #homeFailed}).
     */
    private Verdict inRoom(StanzaEvent event, RoomWork work) {
        Stanza stanza = event.stanza();
        EntityBareJid jid = stanza.to().asEntityBareJidIfPossible();
        event.work().defer(() -> homes.elsewhere(jid).thenCompose(home -> home.isEmpty() ? here(jid, stanza, work)
                : homes.routeOn(home.get(), stanza)
                        .thenCompose(taken -> taken ? DONE : homeFailed(jid, stanza, work, home.get())))
                .exceptionally(failure -> {
                    LOG.warn("room {} failed on {}", jid, stanza.element().asXML(), failure);
                    reject(stanza, PoolWork.errorFor(failure, StanzaErrorCondition.INTERNAL_SERVER_ERROR), null);
                    return null;
                }));
        return Verdict.HANDLED;
    }

    /** The room is here: {@code work} runs with it loaded; then it is stored, or forgotten. */
    private CompletionStage<Void> here(EntityBareJid jid, Stanza stanza, RoomWork work) {
        return find(jid).thenCompose(room -> work.handle(room, stanza)).thenCompose(this::afterwards)
                .whenComplete((done, failure) -> {
                    // No room (none there, or it ended): the next node to need one may claim it.
                    if (!rooms.containsKey(jid)) {
                        homes.release(jid);
                    }
                });
    }

    /**
     * The room's home ({@code failed}) left the cluster, or did not confirm the stanza in time:
     * the stanza is handled here, never dropped. A home that left took the room's live state with
     * it: the room is claimed again, here, where a persistent room is loaded anew from the
     * database, without occupants, and handles the stanza. Its sender is no occupant there: a
     * groupchat message gets {@code <not-acceptable/>} as from any non-occupant (XEP-0045 §7.4),
     * which tells the client to join again (§7.2). Should another node have claimed the room
     * meanwhile, the stanza goes there. A home still in the cluster that did not confirm in time
     * cannot be taken over: the sender gets {@code <recipient-unavailable/>} (RFC 6120 §8.3.3.13,
     * type wait: try again later); that node drops the stanza if it reaches it after the
     * sender's node stopped waiting, but one it took just before and confirms late has also
     * reached the room.
     */
    private CompletionStage<Void> homeFailed(EntityBareJid jid, Stanza stanza, RoomWork work, String failed) {
        return homes.elsewhere(jid).thenCompose(home -> {
            if (home.isEmpty()) {
                return here(jid, stanza, work);
            }
            if (home.get().equals(failed)) {
                unavailable(stanza);
                return DONE;
            }
            return homes.routeOn(home.get(), stanza).thenAccept(taken -> {
                if (!taken) {
                    unavailable(stanza);
                }
            });
        });
    }

    /** RFC 6120 §8.3.3.13: the room's node does not answer now. */
    private void unavailable(Stanza stanza) {
        LOG.debug("the node of room {} did not take {}: answered recipient-unavailable", stanza.to(),
                stanza.element().asXML());
        reject(stanza, StanzaErrorCondition.RECIPIENT_UNAVAILABLE, "the room does not answer now; try again later");
    }

    private CompletionStage<Room> find(EntityBareJid jid) {
        Room room = rooms.get(jid);
        if (room != null) {
            return CompletableFuture.completedFuture(room);
        }
        return PoolWork.supply(() -> store.load(jid), blocking).thenCompose(loaded -> {
            if (loaded.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            JdbcRoomStore.StoredRoom state = loaded.get();
            Room found = new Room(jid, state.config(), state.affiliations(), state.registeredNicks(), state.subject(),
                    services);
            found.restoreVcard(state.vcard());
            found.members().restorePendingRegistrations(state.pendingRegistrations());
            CompletionStage<List<RoomHistory.Entry>> history = state.config().archived()
                    ? archive.history(jid, state.config().historyLength())
                    : CompletableFuture.completedFuture(List.of());
            return history.thenApply(entries -> {
                found.restoreHistory(entries);
                stored.put(jid, true);
                rooms.put(jid, found);
                return found;
            });
        });
    }

    /**
     * Drops from memory the persistent rooms that have had no occupant and handled no stanza
     * since {@code idleSince}; each is loaded again, as it was, by the next stanza to it. The
     * check is repeated in the room's turn, so a stanza that came meanwhile keeps it. Returns how
     * many rooms were checked for unloading.
     */
    int unloadIdle(java.time.Instant idleSince) {
        int candidates = 0;
        for (Room room : List.copyOf(rooms.values())) {
            if (room.unloadable(idleSince) && stored.containsKey(room.jid())) {
                candidates++;
                context.newTurns(room.jid()).defer(() -> {
                    if (room.unloadable(idleSince) && rooms.remove(room.jid(), room)) {
                        homes.release(room.jid());
                    }
                    return CompletableFuture.completedFuture(null);
                });
            }
        }
        return candidates;
    }

    /** The rooms in memory (the rest are in the database only). */
    int loadedRooms() {
        return rooms.size();
    }

    /** A temporary room goes with its last occupant (§10.1); a persistent one's changes are written. */
    private CompletionStage<Void> afterwards(Room room) {
        if (room == null) {
            return CompletableFuture.completedFuture(null);
        }
        EntityBareJid jid = room.jid();
        room.used();
        boolean changed = room.takeChanged();
        if (room.destroyed() || room.isEmpty() && !room.config().persistent()) {
            rooms.remove(jid, room);
            return stored.remove(jid) != null ? delete(jid) : CompletableFuture.completedFuture(null);
        }
        if (!changed || room.locked()) {
            return CompletableFuture.completedFuture(null);
        }
        if (room.config().persistent()) {
            JdbcRoomStore.StoredRoom state = new JdbcRoomStore.StoredRoom(room.config(), room.members().affiliations(),
                    room.members().registeredNicks(), room.subject(), room.vcard(),
                    room.members().pendingRegistrations());
            stored.put(jid, true);
            return PoolWork.run(() -> store.save(jid, state), blocking);
        }
        return stored.remove(jid) != null ? delete(jid) : CompletableFuture.completedFuture(null);
    }

    /** A stored room goes, and its archive with it (a temporary room keeps none). */
    private CompletionStage<Void> delete(EntityBareJid jid) {
        return PoolWork.run(() -> store.delete(jid), blocking).thenCompose(done -> archive.delete(jid));
    }

    // ---- presence ----

    /** §7.2 and §10.1.1: presence to an occupant JID enters, or creates the room. */
    private CompletionStage<Room> presence(Room room, Stanza presence) {
        if (room != null) {
            room.presence(presence, false);
            return CompletableFuture.completedFuture(room);
        }
        EntityBareJid creator = presence.from().asEntityBareJidIfPossible();
        if (presence.type() != null || creator == null) {
            return CompletableFuture.completedFuture(null);
        }
        return PoolWork.supply(() -> ownedRooms(creator), blocking).thenApply(owned -> {
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
        rooms.put(jid, room);
        room.presence(presence, true);
        return room;
    }

    /** Stored rooms the user owns, and rooms in memory not stored yet. */
    private int ownedRooms(EntityBareJid user) {
        int inMemory = 0;
        for (Room room : rooms.values()) {
            if (!stored.containsKey(room.jid()) && room.members().affiliations().get(user) == Affiliation.OWNER) {
                inMemory++;
            }
        }
        return store.ownedBy(user) + inMemory;
    }

    /** §7.2.1: entering needs a nickname; presence to the bare room JID is an error (or leaves). */
    private CompletionStage<Room> presenceToRoom(Room room, Stanza presence) {
        Occupant occupant = room == null ? null : room.occupantOf(presence.from());
        if (occupant != null && "unavailable".equals(presence.type())) {
            room.exit(occupant, presence.from(), presence.element(), List.of());
        } else if (presence.type() == null) {
            reject(presence, StanzaErrorCondition.JID_MALFORMED, "enter a room as room@service/nickname");
        }
        return CompletableFuture.completedFuture(room);
    }

    // ---- messages ----

    private CompletionStage<Room> messageToRoom(Room room, Stanza message) {
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

    private CompletionStage<Room> messageToOccupant(Room room, Stanza message) {
        if (room == null) {
            reject(message, StanzaErrorCondition.ITEM_NOT_FOUND, "there is no such room");
        } else {
            messages.privateMessage(room, message);
        }
        return CompletableFuture.completedFuture(room);
    }

    // ---- IQs ----

    private CompletionStage<Room> iq(Room room, Stanza iq) {
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

    private CompletionStage<Room> iqToOccupant(Room room, Stanza iq) {
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

    /** §6.1/§6.2: the service is a {@code conference/text} that speaks MUC. */
    private Element serviceInfo(Stanza iq) {
        if (!"get".equals(iq.type()) || iq.element().elements().get(0).attributeValue("node") != null) {
            return Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND));
        }
        Element query = DocumentHelper.createElement(QName.get("query", INFO));
        query.addElement(QName.get("identity", INFO)).addAttribute("category", "conference")
                .addAttribute("type", "text").addAttribute("name", "Chatrooms");
        for (String feature : List.of(ServerInfo.DISCO_INFO, ServerInfo.DISCO_ITEMS, MucNamespaces.MUC,
                MucNamespaces.SID)) {
            query.addElement(QName.get("feature", INFO)).addAttribute("var", feature);
        }
        return RoomRequests.result(iq, query);
    }

    /** §6.3: the public rooms, stored or in memory; hidden and locked rooms are not listed. */
    private CompletionStage<Element> serviceItems(Stanza iq) {
        if (!"get".equals(iq.type()) || iq.element().elements().get(0).attributeValue("node") != null) {
            return CompletableFuture.completedFuture(
                    Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND)));
        }
        return PoolWork.supply(store::publicRooms, blocking).thenApply(storedRooms -> {
            Map<EntityBareJid, String> listed = new java.util.TreeMap<>(java.util.Comparator.comparing(Object::toString));
            storedRooms.forEach(room -> listed.put(room.room(), room.name()));
            for (Room room : new ArrayList<>(rooms.values())) {
                if (room.config().publicRoom() && !room.locked()) {
                    listed.put(room.jid(), room.config().name());
                } else {
                    listed.remove(room.jid());
                }
            }
            Element query = DocumentHelper.createElement(QName.get("query", ITEMS));
            listed.forEach((jid, name) -> query.addElement(QName.get("item", ITEMS)).addAttribute("jid", jid.toString())
                    .addAttribute("name", name.isEmpty() ? jid.getLocalpart().toString() : name));
            return RoomRequests.result(iq, query);
        });
    }

    private void reject(Stanza stanza, StanzaErrorCondition condition, String text) {
        Bounces.reply(stanza, StanzaError.of(condition, text)).ifPresent(context::send);
    }

    DomainBareJid domain() {
        return domain;
    }
}
