package im.parley.server.modules.muc;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * The last messages of a room, for newcomers (XEP-0045 §7.2.14), kept in memory up to the room's
 * history length, and the selection a newcomer asks for (§7.2.15).
 */
final class RoomHistory {

    /** A message as the room broadcast it (without {@code to}), its sender's occupant JID, and when. */
    record Entry(Element message, Jid from, Instant time) {

        /**
         * §7.2.15: "the characters of the complete XML stanzas": counted only for a newcomer who
         * asks for {@code maxchars}, not for every message the room keeps.
         */
        int chars() {
            return message.asXML().length();
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    void add(Element message, Jid from, Instant time, int keep) {
        if (keep <= 0) {
            entries.clear();
            return;
        }
        entries.addLast(new Entry(message, from, time));
        while (entries.size() > keep) {
            entries.removeFirst();
        }
    }

    /** Replaces the message with this XEP-0359 id by the room (a moderated message's tombstone); false if none. */
    boolean replace(String stanzaId, Element replacement) {
        for (Entry entry : List.copyOf(entries)) {
            if (stanzaId.equals(StanzaIdOf.room(entry.message()))) {
                List<Entry> all = new ArrayList<>(entries);
                all.set(all.indexOf(entry), new Entry(replacement, entry.from(), entry.time()));
                entries.clear();
                entries.addAll(all);
                return true;
            }
        }
        return false;
    }

    /** The message with this XEP-0359 id by the room, if it is still in the history. */
    Element find(String stanzaId) {
        for (Entry entry : entries) {
            if (stanzaId.equals(StanzaIdOf.room(entry.message()))) {
                return entry.message();
            }
        }
        return null;
    }

    /** Drops the oldest messages beyond {@code keep}. */
    void trim(int keep) {
        while (entries.size() > keep) {
            entries.removeFirst();
        }
    }

    /**
     * §7.2.15: the newest messages within every limit the newcomer gave, oldest first: at most
     * {@code maxStanzas}, at most {@code maxChars} characters of complete message stanzas, none
     * older than {@code seconds}, only those after {@code since}. A null limit does not apply;
     * {@code defaultStanzas} applies when the newcomer gave none (§7.2.14).
     */
    List<Entry> select(HistoryRequest request, Instant now, int defaultStanzas) {
        int maxStanzas = request.maxStanzas() != null ? request.maxStanzas()
                : request.isEmpty() ? defaultStanzas : Integer.MAX_VALUE;
        Instant notBefore = request.seconds() == null ? Instant.MIN : now.minusSeconds(request.seconds());
        long chars = 0;
        List<Entry> selected = new ArrayList<>();
        for (Iterator<Entry> newestFirst = entries.descendingIterator(); newestFirst.hasNext(); ) {
            Entry entry = newestFirst.next();
            if (selected.size() >= maxStanzas || entry.time().isBefore(notBefore)
                    || (request.since() != null && !entry.time().isAfter(request.since()))) {
                break;
            }
            if (request.maxChars() != null) {
                chars += entry.chars();
                if (chars > request.maxChars()) {
                    break;
                }
            }
            selected.add(entry);
        }
        Collections.reverse(selected);
        return selected;
    }
}
