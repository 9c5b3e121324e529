package im.parley.server.modules.muc;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.session.StateHomes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MUC service ({@code conference.<domain>}): its discovery (XEP-0045 §6.1 to §6.3,
 * {@link ServiceDisco}), the rooms it holds ({@link LoadedRooms}), their creation (§10.1) and
 * lazy loading, and the stanzas to rooms and occupants handed to them ({@link RoomStanzas}).
 *
 * <p>Ordering: the router gives every stanza for a room, or for one of its occupant JIDs, a turn
 * among the stanzas of the room's bare JID, as it does for an account ({@code AccountStep}). The
 * service does all room work as work deferred into that turn, so one room's state is touched by
 * one stanza at a time and the next stanza for the room waits until its storage is written; no
 * event loop waits for the database (it runs on the blocking executor).
 */
final class MucService {

    private static final Logger LOG = LoggerFactory.getLogger(MucService.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    /** What a room does with a stanza (the room is null if it does not exist). */
    @FunctionalInterface
    private interface RoomWork {
        CompletionStage<Room> handle(Room room, Stanza stanza);
    }

    private final ModuleContext context;
    private final DomainBareJid domain;
    private final StateHomes homes;
    private final LoadedRooms rooms;
    private final RoomStanzas stanzas;
    private final ServiceDisco disco;

    MucService(ModuleContext serviceContext, JdbcRoomStore store, RoomArchive archive, RoomServices services) {
        this.context = serviceContext;
        this.domain = serviceContext.host().domain();
        this.homes = serviceContext.sessions().homes();
        this.rooms = new LoadedRooms(serviceContext, homes, store, archive, services);
        this.stanzas = new RoomStanzas(rooms, archive, services, serviceContext.blocking(), serviceContext::send);
        this.disco = new ServiceDisco(store, serviceContext.blocking(), rooms);
    }

    void register() {
        context.handleServerIq(ServerInfo.DISCO_INFO, iq -> CompletableFuture.completedFuture(disco.info(iq)));
        context.handleServerIq(ServerInfo.DISCO_ITEMS, disco::items);
        context.hook(StanzaEvents.to("presence", Shape.FULL), EventPriority.HANDLE,
                event -> inRoom(event, stanzas::presence));
        context.hook(StanzaEvents.to("presence", Shape.BARE), EventPriority.HANDLE,
                event -> inRoom(event, stanzas::presenceToRoom));
        context.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.HANDLE,
                event -> inRoom(event, stanzas::messageToRoom));
        context.hook(StanzaEvents.to("message", Shape.FULL), EventPriority.HANDLE,
                event -> inRoom(event, stanzas::messageToOccupant));
        context.hook(StanzaEvents.to("iq", Shape.BARE), EventPriority.HANDLE, event -> inRoom(event, stanzas::iq));
        context.hook(StanzaEvents.to("iq", Shape.FULL), EventPriority.HANDLE,
                event -> inRoom(event, stanzas::iqToOccupant));
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
        return rooms.find(jid).thenCompose(room -> work.handle(room, stanza)).thenCompose(rooms::afterwards)
                .whenComplete((done, failure) -> {
                    // No room (none there, or it ended): the next node to need one may claim it.
                    if (!rooms.contains(jid)) {
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

    /** Unloads the idle persistent rooms ({@link LoadedRooms#unloadIdle}); returns how many were checked. */
    int unloadIdle(java.time.Instant idleSince) {
        return rooms.unloadIdle(idleSince);
    }

    /** The rooms in memory (the rest are in the database only). */
    int loadedRooms() {
        return rooms.loadedRooms();
    }

    private void reject(Stanza stanza, StanzaErrorCondition condition, String text) {
        Bounces.reply(stanza, StanzaError.of(condition, text)).ifPresent(context::send);
    }

    DomainBareJid domain() {
        return domain;
    }
}
