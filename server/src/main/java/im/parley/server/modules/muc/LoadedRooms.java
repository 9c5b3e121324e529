package im.parley.server.modules.muc;

import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.session.StateHomes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jxmpp.jid.EntityBareJid;

/**
 * The rooms of a service in memory and their storage: a stored room is loaded by the first
 * stanza to it, a persistent room's changes are written after the stanza that made them, a
 * temporary room goes with its last occupant (XEP-0045 §10.1) and a destroyed one (§10.9) with
 * its row and archive; idle persistent rooms leave memory. The store is read and written on the
 * blocking executor, in the room's turn ({@link MucService}).
 */
final class LoadedRooms {

    private final ModuleContext context;
    private final StateHomes homes;
    private final JdbcRoomStore store;
    private final Executor blocking;
    private final RoomArchive archive;
    private final RoomServices services;
    private final Map<EntityBareJid, Room> rooms = new ConcurrentHashMap<>();
    /** Rooms that have a row in the store (loaded from it, or saved since). */
    private final Map<EntityBareJid, Boolean> stored = new ConcurrentHashMap<>();

    LoadedRooms(ModuleContext serviceContext, StateHomes homes, JdbcRoomStore store, RoomArchive archive,
                RoomServices services) {
        this.context = serviceContext;
        this.homes = homes;
        this.store = store;
        this.blocking = serviceContext.blocking();
        this.archive = archive;
        this.services = services;
    }

    /** The room, loaded from the store if it is not in memory; null if there is none. */
    CompletionStage<Room> find(EntityBareJid jid) {
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

    /** A room just created (§10.1.1), in memory until {@link #afterwards} stores or forgets it. */
    void add(Room room) {
        rooms.put(room.jid(), room);
    }

    boolean contains(EntityBareJid jid) {
        return rooms.containsKey(jid);
    }

    /** The rooms in memory now, as a copy. */
    Collection<Room> inMemory() {
        return new ArrayList<>(rooms.values());
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
    CompletionStage<Void> afterwards(Room room) {
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

    /** Stored rooms the user owns, and rooms in memory not stored yet; reads the store (blocking). */
    int ownedRooms(EntityBareJid user) {
        int inMemory = 0;
        for (Room room : rooms.values()) {
            if (!stored.containsKey(room.jid()) && room.members().affiliations().get(user) == Affiliation.OWNER) {
                inMemory++;
            }
        }
        return store.ownedBy(user) + inMemory;
    }
}
