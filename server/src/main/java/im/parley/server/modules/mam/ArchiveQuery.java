package im.parley.server.modules.mam;

import java.time.Instant;
import java.util.List;
import org.jxmpp.jid.Jid;

/**
 * One archive query (XEP-0313 §4): the form's filters and the RSM page (XEP-0059).
 *
 * @param with messages to or from this JID only (§4.1.1; a bare JID matches its full JIDs), or null
 * @param start messages at or after this time (§4.1.2), or null
 * @param end messages at or before this time (§4.1.2), or null
 * @param afterId the extended {@code after-id}: messages after this one, or null
 * @param beforeId the extended {@code before-id}: messages before this one, or null
 * @param ids the extended {@code ids}: only these messages, or empty for all
 * @param after RSM {@code <after/>}: the page after this id (XEP-0059 §2.2), or null
 * @param before RSM {@code <before/>}: the page before this id; empty for the last page (§2.5), or null
 * @param max the page size
 * @param flip the extended {@code <flip-page/>}: the page's results newest first
 */
record ArchiveQuery(Jid with, Instant start, Instant end, String afterId, String beforeId, List<String> ids,
                    String after, String before, int max, boolean flip) {

    ArchiveQuery {
        ids = List.copyOf(ids);
    }

    /** True if the page is counted from the end of the matches backwards (RSM {@code <before/>}). */
    boolean backwards() {
        return before != null;
    }
}
