package im.parley.server.modules.muc;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;

/**
 * Who is in a room (XEP-0045 §7.2): the occupants by nick, in the order they entered (the order
 * their presences go out in, §7.2.3), and by each session they are in the room from. Like its
 * {@link Room}, changed in the room's turn only; the count is kept apart so that it may be read
 * from elsewhere.
 */
final class RoomOccupants {

    private final Map<String, Occupant> byNick = new LinkedHashMap<>();
    private final Map<Jid, Occupant> bySession = new HashMap<>();
    private volatile int count;

    Occupant byNick(String nick) {
        return byNick.get(nick);
    }

    Occupant bySession(Jid session) {
        return bySession.get(session);
    }

    /** The occupants in the order they entered, as they are now (not a copy: do not change them meanwhile). */
    Collection<Occupant> inOrder() {
        return byNick.values();
    }

    /** The occupants in the order they entered, as a copy. */
    Collection<Occupant> copy() {
        return List.copyOf(byNick.values());
    }

    int count() {
        return count;
    }

    boolean isEmpty() {
        return byNick.isEmpty();
    }

    /** A new occupant, under its nick. */
    void add(Occupant occupant) {
        byNick.put(occupant.nick(), occupant);
        count = byNick.size();
    }

    /** The occupant is gone, with all its sessions or its last one. */
    void remove(Occupant occupant) {
        byNick.remove(occupant.nick());
        count = byNick.size();
    }

    /** §7.6: the occupant takes {@code newNick}; the count does not change, not even for a moment. */
    void rename(Occupant occupant, String newNick, EntityFullJid newJid) {
        byNick.remove(occupant.nick());
        occupant.nick(newNick, newJid);
        byNick.put(newNick, occupant);
    }

    void addSession(Jid session, Occupant occupant) {
        bySession.put(session, occupant);
    }

    void removeSession(Jid session) {
        bySession.remove(session);
    }
}
