package im.parley.server.modules.muc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;

/**
 * One occupant of a room: a nick, the user behind it and that user's sessions in the room. A user
 * may be in a room with several resources under one nick (the "multi-session nick" Prosody
 * allows, XEP-0045 §7.2 leaves it to the service): each session gets the room's traffic; the
 * others see one occupant, with the presence of the session that spoke last. Touched only in the
 * room's turn.
 */
final class Occupant {

    private final EntityBareJid user;
    /** XEP-0421: the user's id in this room, on everything the room forwards from the occupant. */
    private final String occupantId;
    private String nick;
    /** {@code room@service/nick}: made once per nick, not per stanza (it costs a stringprep). */
    private EntityFullJid jid;
    private Role role;
    /** Each session's last presence as its client sent it, in the order the sessions joined. */
    private final Map<Jid, Element> sessions = new LinkedHashMap<>();
    private Jid latest;
    /** When the occupant's message allowance was last filled up (issue 14 item 5), and what is left. */
    private long allowanceStart;
    private int allowanceUsed;

    Occupant(EntityBareJid user, String occupantId, String nick, EntityFullJid jid, Role role) {
        this.user = user;
        this.occupantId = occupantId;
        this.nick = nick;
        this.jid = jid;
        this.role = role;
    }

    EntityBareJid user() {
        return user;
    }

    String occupantId() {
        return occupantId;
    }

    String nick() {
        return nick;
    }

    void nick(String newNick, EntityFullJid newJid) {
        this.nick = newNick;
        this.jid = newJid;
    }

    /** The occupant JID, {@code room@service/nick}. */
    EntityFullJid jid() {
        return jid;
    }

    Role role() {
        return role;
    }

    void role(Role newRole) {
        this.role = newRole;
    }

    /** Adds or updates a session's presence; it becomes the one the others see. */
    void presence(Jid session, Element presence) {
        sessions.put(session, presence);
        latest = session;
    }

    /** Removes a session; true if the occupant has none left. */
    boolean leave(Jid session) {
        sessions.remove(session);
        if (session.equals(latest)) {
            latest = sessions.isEmpty() ? null : List.copyOf(sessions.keySet()).get(sessions.size() - 1);
        }
        return sessions.isEmpty();
    }

    boolean has(Jid session) {
        return sessions.containsKey(session);
    }

    List<Jid> sessions() {
        return new ArrayList<>(sessions.keySet());
    }

    /** The session whose presence the others see (its full JID is the occupant's real JID in the room). */
    Jid realJid() {
        return latest;
    }

    Element presence() {
        return sessions.get(latest);
    }

    /**
     * Counts one message against {@code perMinute} in the minute that started at the first
     * message counted; false if the allowance is used up.
     */
    boolean allowMessage(long nowMillis, int perMinute) {
        if (nowMillis - allowanceStart >= 60_000L) {
            allowanceStart = nowMillis;
            allowanceUsed = 0;
        }
        if (allowanceUsed >= perMinute) {
            return false;
        }
        allowanceUsed++;
        return true;
    }
}
