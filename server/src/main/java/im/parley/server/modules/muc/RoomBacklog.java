package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import im.parley.server.modules.offline.DelayStamp;
import java.time.Clock;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;

/**
 * What a room tells a newcomer of the discussion so far (XEP-0045 §7.2.14 to §7.2.16): the
 * history it asked for, each message with a {@code <delay/>} from the room, then the subject,
 * which ends the join; the subject also goes out when it changes (§8.1). Like its {@link Room},
 * used in the room's turn only.
 */
final class RoomBacklog {

    private final Room room;
    private final RoomHistory history;
    private final Clock clock;
    private final Consumer<Stanza> out;
    private EntityFullJid subjectJid;

    RoomBacklog(Room room, RoomHistory history, Clock clock, Consumer<Stanza> out) {
        this.room = room;
        this.history = history;
        this.clock = clock;
        this.out = out;
    }

    void sendHistory(Jid to, HistoryRequest request) {
        for (RoomHistory.Entry entry : history.select(request, clock.instant(), room.config().historyLength())) {
            Element message = entry.message().createCopy();
            message.addAttribute("to", to.toString());
            DelayStamp.add(message, room.jid(), entry.time());
            out.accept(new Stanza(message, entry.from(), to));
        }
    }

    /**
     * §7.2.15: the subject, even when there is none (an empty {@code <subject/>}), ends the join;
     * on joining ({@code joining}) it carries the time it was set, as a {@code <delay/>} from the
     * room (XEP-0203), where a change (§8.1) goes out live without one.
     */
    void sendSubject(Jid to, boolean joining) {
        RoomSubject subject = room.subject();
        Element message = org.dom4j.DocumentHelper.createElement(
                org.dom4j.QName.get("message", im.parley.core.stream.Namespaces.CLIENT));
        message.addAttribute("type", "groupchat");
        Jid from = subject.nick() == null ? room.jid() : subjectFrom(subject);
        message.addAttribute("from", from.toString());
        message.addAttribute("to", to.toString());
        message.addElement("subject").setText(subject.text() == null ? "" : subject.text());
        if (joining && subject.stamp() != null) {
            DelayStamp.add(message, room.jid(), subject.stamp());
        }
        out.accept(new Stanza(message, from, to));
    }

    /** The occupant JID of who set the subject, made once per subject rather than per newcomer. */
    private Jid subjectFrom(RoomSubject subject) {
        if (subjectJid == null || !subjectJid.getResourcepart().toString().equals(subject.nick())) {
            subjectJid = room.occupantJid(subject.nick());
        }
        return subjectJid;
    }
}
