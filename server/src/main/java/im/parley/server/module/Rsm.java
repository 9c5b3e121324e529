package im.parley.server.module;

import im.parley.core.stream.StanzaErrorCondition;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Result Set Management (XEP-0059) for the modules that page through what they answer (the
 * message archive, the items of a pubsub node): the {@code <set/>} a request carries, the page of
 * an ordered result set it asks for, and the {@code <set/>} that describes the page returned.
 */
public final class Rsm {

    public static final String NS = "http://jabber.org/protocol/rsm";

    private Rsm() {
    }

    /** A {@code <set/>} the responder refuses, with the stanza error condition to answer it with. */
    public static final class Invalid extends Exception {
        public final StanzaErrorCondition condition;

        Invalid(StanzaErrorCondition condition, String text) {
            super(text, null, false, false);
            this.condition = condition;
        }
    }

    /**
     * What a {@code <set/>} asks for.
     *
     * @param max the most items of the page (§2.1), null if not said
     * @param after the page follows the item of this UID (§2.2), null if not said
     * @param before the page precedes the item of this UID (§2.3), empty for the last page (§2.5),
     *     null if not said
     * @param index the page starts at this position of the result set (§2.6), null if not said
     */
    public record Request(Integer max, String after, String before, Integer index) {

        /** The {@code <set/>} child of {@code parent}, or null if it has none; a max or index that is no number (or negative) is {@code bad-request}. */
        public static Request of(Element parent) throws Invalid {
            Element set = parent.element(QName.get("set", NS));
            if (set == null) {
                return null;
            }
            return new Request(number(set, "max"), set.elementTextTrim("after"), set.elementTextTrim("before"),
                    number(set, "index"));
        }

        private static Integer number(Element set, String name) throws Invalid {
            String text = set.elementTextTrim(name);
            if (text == null) {
                return null;
            }
            int number;
            try {
                number = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new Invalid(StanzaErrorCondition.BAD_REQUEST, "RSM " + name + " is not a number");
            }
            if (number < 0) {
                throw new Invalid(StanzaErrorCondition.BAD_REQUEST, "RSM " + name + " is negative");
            }
            return number;
        }
    }

    /**
     * A page of a result set: its items are those at positions {@code from} (inclusive) to
     * {@code to} (exclusive) of the set of {@code count} items.
     */
    public record Page(int from, int to, int count) {

        public boolean isEmpty() {
            return from >= to;
        }

        /**
         * §2.2: the answer's {@code <set/>} for the page returned as {@code ids}: its first UID with
         * its index, its last UID, and the count; an empty page has only the count (§2.7).
         */
        public Element answer(List<String> ids) {
            return Rsm.answer(ids.isEmpty() ? null : ids.get(0), from, ids.isEmpty() ? null : ids.get(ids.size() - 1),
                    count);
        }
    }

    /**
     * The page {@code request} asks of the result set {@code uids} (in the set's order), at most
     * {@code limit} items, a larger {@code <max/>} capped: after the item of a UID (§2.2), before
     * one (§2.3), the last page (§2.5), from an index (§2.6), else the first page (§2.1). A UID
     * not in the set is {@code item-not-found} (§2.4); {@code <after/>} and {@code <before/>}
     * together, which XEP-0059 leaves undefined, {@code bad-request}. An index past the end is an
     * empty page.
     */
    public static Page page(List<String> uids, Request request, int limit) throws Invalid {
        int max = request.max() == null ? limit : Math.min(request.max(), limit);
        int count = uids.size();
        String after = request.after();
        String before = request.before();
        if (after != null && before != null) {
            throw new Invalid(StanzaErrorCondition.BAD_REQUEST, "RSM after and before at once");
        }
        if (after != null) {
            int from = position(uids, after) + 1;
            return new Page(from, Math.min(count, from + max), count);
        }
        if (before != null) {
            int to = before.isEmpty() ? count : position(uids, before);
            return new Page(Math.max(0, to - max), to, count);
        }
        int from = request.index() == null ? 0 : Math.min(count, request.index());
        return new Page(from, Math.min(count, from + max), count);
    }

    private static int position(List<String> uids, String uid) throws Invalid {
        int position = uids.indexOf(uid);
        if (position < 0) {
            throw new Invalid(StanzaErrorCondition.ITEM_NOT_FOUND, "no item " + uid + " in the result set");
        }
        return position;
    }

    /**
     * §2.2: a {@code <set/>} answering a request: {@code first} (with {@code index} if not null)
     * and {@code last} if the page has items (both null otherwise), and {@code count}.
     */
    public static Element answer(String first, Integer index, String last, int count) {
        Element set = DocumentHelper.createElement(QName.get("set", NS));
        if (first != null) {
            Element firstElement = set.addElement(QName.get("first", NS));
            if (index != null) {
                firstElement.addAttribute("index", Integer.toString(index));
            }
            firstElement.setText(first);
            set.addElement(QName.get("last", NS)).setText(last);
        }
        set.addElement(QName.get("count", NS)).setText(Integer.toString(count));
        return set;
    }
}
