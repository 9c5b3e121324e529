package im.parley.server.modules.muc;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.dom4j.Element;

/**
 * What history a newcomer asks for: the {@code <history/>} of its join presence (XEP-0045
 * §7.2.15); every attribute is optional. A value that does not parse is ignored, as if absent.
 */
record HistoryRequest(Integer maxChars, Integer maxStanzas, Long seconds, Instant since) {

    static final HistoryRequest NONE = new HistoryRequest(null, null, null, null);

    /** From the {@code <x xmlns='http://jabber.org/protocol/muc'/>} of a join presence, or null. */
    static HistoryRequest of(Element mucX) {
        Element history = mucX == null ? null : mucX.element("history");
        if (history == null) {
            return NONE;
        }
        return new HistoryRequest(count(history.attributeValue("maxchars")),
                count(history.attributeValue("maxstanzas")), seconds(history.attributeValue("seconds")),
                instant(history.attributeValue("since")));
    }

    boolean isEmpty() {
        return maxChars == null && maxStanzas == null && seconds == null && since == null;
    }

    private static Integer count(String value) {
        try {
            return value == null ? null : Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long seconds(String value) {
        try {
            return value == null ? null : Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** XEP-0082 DateTime, e.g. {@code 1970-01-01T00:00:00Z}. */
    private static Instant instant(String value) {
        try {
            return value == null ? null : java.time.OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
