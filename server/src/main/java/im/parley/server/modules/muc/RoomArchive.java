package im.parley.server.modules.muc;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.mam.MamModule;
import im.parley.server.modules.mam.ModuleArchive;
import im.parley.server.storage.StoredXml;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * A room's message archive (XEP-0313 on the room's JID, as Prosody's mod_muc_mam keeps it): the
 * groupchat messages of a persistent room that has archiving on ({@link RoomConfig#archived}),
 * each under the id of its XEP-0359 {@code <stanza-id by='room'/>}, queried at the room's JID
 * with the account archive's form and paging ({@link ModuleArchive}). Its writes and reads run
 * on the blocking executor while the room's next stanzas wait.
 */
final class RoomArchive {

    private final ModuleArchive archive;
    private final Executor blocking;

    RoomArchive(ModuleArchive archive, Executor blocking) {
        this.archive = archive;
        this.blocking = blocking;
    }

    /**
     * Archives a message the room is about to send to its occupants, from {@code sender}'s
     * occupant JID: queued for the group commit the accounts' archives use ({@link ModuleArchive},
     * the messages of every room waiting meanwhile share one transaction). Completes once the
     * message is committed; the room's turn waits for it, so the message counts as handled only
     * once it is durable, and one room's messages are archived in the order it sent them.
     */
    CompletionStage<Void> append(Room room, Jid sender, String id, Instant stamp, Element message) {
        return archive.append(room.jid(), sender, id, stamp, message);
    }

    /**
     * The newest messages of the room's archive, up to its history length, as history entries:
     * a room loaded again (after a restart or an unload) gives newcomers the history it had.
     */
    CompletionStage<List<RoomHistory.Entry>> history(EntityBareJid room, int length) {
        return PoolWork.supply(() -> {
            List<RoomHistory.Entry> entries = new java.util.ArrayList<>();
            for (ModuleArchive.Stored stored : archive.latest(room, length)) {
                Element message = StoredXml.parse(stored.stanzaXml(), "an archived message");
                Jid sender = sender(message);
                // The history holds what occupants said; the room's own notices (retractions) are not in it.
                if (sender != null && sender.hasResource()) {
                    entries.add(new RoomHistory.Entry(message, sender, stored.stamp()));
                }
            }
            return entries;
        }, blocking);
    }

    private static Jid sender(Element message) {
        try {
            return Jids.parse(message.attributeValue("from"));
        } catch (JidMalformedException | NullPointerException e) {
            return null;
        }
    }

    /**
     * A query of the room's archive. Who may read it: those who may be in the room and see what
     * is said there: its occupants, and in a members-only room its members (who may enter at
     * will); an outcast never; anyone else {@code forbidden}, as Prosody and ejabberd answer.
     */
    CompletionStage<Void> query(Room room, Stanza iq, Element payload) {
        if (!room.config().archived()) {
            RoomMessages.reject(room, iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, "this room keeps no archive");
            return CompletableFuture.completedFuture(null);
        }
        if (!mayRead(room, iq.from())) {
            RoomMessages.reject(room, iq, StanzaErrorCondition.FORBIDDEN,
                    "only occupants, and members of a members-only room, read the room's archive");
            return CompletableFuture.completedFuture(null);
        }
        if ("get".equals(iq.type())) {
            room.send(withAddresses(ModuleArchive.form(iq), room.jid(), iq.from()));
            return CompletableFuture.completedFuture(null);
        }
        return PoolWork.run(() -> {
            Element answer = archive.query(iq, payload, room.jid(), iq.from(), room::send);
            room.send(withAddresses(answer, room.jid(), iq.from()));
        }, blocking);
    }

    private static boolean mayRead(Room room, Jid requester) {
        EntityBareJid user = requester.asEntityBareJidIfPossible();
        if (user == null) {
            return false;
        }
        Affiliation affiliation = room.affiliation(user);
        return affiliation != Affiliation.OUTCAST
                && (room.occupantOf(requester) != null || affiliation.atLeast(Affiliation.MEMBER));
    }

    private static Element withAddresses(Element answer, Jid from, Jid to) {
        answer.addAttribute("from", from.toString());
        answer.addAttribute("to", to.toString());
        return answer;
    }

    /** The archived message with this id, parsed, or empty. */
    CompletionStage<Optional<Element>> message(Room room, String id) {
        return PoolWork.supply(() -> archive.stanza(room.jid(), id).map(xml -> StoredXml.parse(xml, "an archived message")), blocking);
    }

    CompletionStage<Void> replace(Room room, String id, Element replacement) {
        return PoolWork.run(() -> archive.replace(room.jid(), id, replacement), blocking);
    }

    /** A destroyed room's archive goes with it. */
    CompletionStage<Void> delete(EntityBareJid room) {
        return PoolWork.run(() -> archive.delete(room), blocking);
    }

    /** Deletes the service's archived messages older than the account archive's {@link MamModule#RETENTION}. */
    int purge(DomainBareJid service, Instant now, Duration retention) {
        return archive.purge(service, now.minus(retention));
    }
}
