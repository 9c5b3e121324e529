package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.module.Rsm;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.Jid;

/**
 * Reads a {@code <query xmlns='urn:xmpp:mam:2'/>} into an {@link ArchiveQuery}: the data form of
 * XEP-0313 §4.1 (with the {@code urn:xmpp:mam:2#extended} fields) and the RSM set of XEP-0059.
 */
final class QueryParser {

    static final String DATA = "jabber:x:data";
    static final Set<String> FIELDS = Set.of("FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids");

    /** A query the server refuses, with the stanza error condition to answer it with. */
    static final class InvalidQuery extends Exception {
        final StanzaErrorCondition condition;

        InvalidQuery(StanzaErrorCondition condition, String text) {
            super(text);
            this.condition = condition;
        }
    }

    private QueryParser() {
    }

    /**
     * @param maxPageSize the largest page the server sends; a larger RSM {@code <max/>} is refused
     *     with {@code policy-violation}, no {@code <max/>} gets a page of this size
     */
    static ArchiveQuery parse(Element query, int maxPageSize) throws InvalidQuery {
        Jid with = null;
        Instant start = null;
        Instant end = null;
        String afterId = null;
        String beforeId = null;
        List<String> ids = List.of();
        Element form = query.element(QName.get("x", DATA));
        if (form != null) {
            for (Element field : form.elements(QName.get("field", DATA))) {
                String var = field.attributeValue("var", "");
                List<String> values = values(field);
                if (!FIELDS.contains(var)) {
                    // §4.1.5: a field the server does not know.
                    throw new InvalidQuery(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, "unknown field " + var);
                }
                if (values.isEmpty()) {
                    continue;
                }
                switch (var) {
                    case "with" -> with = jid(values.get(0));
                    case "start" -> start = time(values.get(0));
                    case "end" -> end = time(values.get(0));
                    case "after-id" -> afterId = values.get(0);
                    case "before-id" -> beforeId = values.get(0);
                    case "ids" -> ids = values;
                    default -> {
                        if (!MamModule.NAMESPACE.equals(values.get(0))) {
                            throw new InvalidQuery(StanzaErrorCondition.BAD_REQUEST, "FORM_TYPE must be " + MamModule.NAMESPACE);
                        }
                    }
                }
            }
        }
        Rsm.Request set;
        try {
            set = Rsm.Request.of(query);
        } catch (Rsm.Invalid e) {
            throw new InvalidQuery(e.condition, e.getMessage());
        }
        int max = maxPageSize;
        String after = null;
        String before = null;
        if (set != null) {
            if (set.max() != null) {
                if (set.max() > maxPageSize) {
                    throw new InvalidQuery(StanzaErrorCondition.POLICY_VIOLATION, "at most " + maxPageSize + " results per page");
                }
                max = set.max();
            }
            after = set.after();
            before = set.before();
            if (after != null && before != null) {
                // XEP-0313 §4.3.2: RSM leaves both at once undefined; before-id/after-id do that.
                throw new InvalidQuery(StanzaErrorCondition.BAD_REQUEST, "use after-id and before-id for a range");
            }
        }
        boolean flip = query.element(QName.get("flip-page", MamModule.NAMESPACE)) != null;
        return new ArchiveQuery(with, start, end, afterId, beforeId, ids, after, before, max, flip);
    }

    private static List<String> values(Element field) {
        List<String> values = new ArrayList<>();
        for (Element value : field.elements(QName.get("value", DATA))) {
            values.add(value.getTextTrim());
        }
        return values;
    }

    private static Jid jid(String text) throws InvalidQuery {
        try {
            return Jids.parse(text);
        } catch (JidMalformedException e) {
            throw new InvalidQuery(StanzaErrorCondition.BAD_REQUEST, "with is not a JID");
        }
    }

    /** §4.1.2: XEP-0082 DateTime, e.g. {@code 2010-06-07T00:00:00Z}. */
    private static Instant time(String text) throws InvalidQuery {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidQuery(StanzaErrorCondition.BAD_REQUEST, "not a XEP-0082 DateTime: " + text);
        }
    }
}
