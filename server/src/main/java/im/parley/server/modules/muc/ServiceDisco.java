package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.disco.ServerInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * Discovery of the MUC service itself (XEP-0045 §6.1 to §6.3): its identity and features, and
 * its public rooms, those in the database and those in memory. A room answers its own
 * discovery ({@link RoomRequests}).
 */
final class ServiceDisco {

    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);
    private static final Namespace ITEMS = Namespace.get(ServerInfo.DISCO_ITEMS);

    private final JdbcRoomStore store;
    private final Executor blocking;
    private final LoadedRooms rooms;

    ServiceDisco(JdbcRoomStore store, Executor blocking, LoadedRooms rooms) {
        this.store = store;
        this.blocking = blocking;
        this.rooms = rooms;
    }

    /** §6.1/§6.2: the service is a {@code conference/text} that speaks MUC. */
    Element info(Stanza iq) {
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
    CompletionStage<Element> items(Stanza iq) {
        if (!"get".equals(iq.type()) || iq.element().elements().get(0).attributeValue("node") != null) {
            return CompletableFuture.completedFuture(
                    Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND)));
        }
        return PoolWork.supply(store::publicRooms, blocking).thenApply(storedRooms -> {
            Map<EntityBareJid, String> listed = new java.util.TreeMap<>(java.util.Comparator.comparing(Object::toString));
            storedRooms.forEach(room -> listed.put(room.room(), room.name()));
            for (Room room : rooms.inMemory()) {
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
}
