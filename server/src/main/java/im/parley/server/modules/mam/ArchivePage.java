package im.parley.server.modules.mam;

import java.util.List;

/**
 * A page of results, oldest first (XEP-0313 §4.2), with the RSM count of all matches and
 * whether the page reaches the end of the matches in the direction of paging (§4.3.2,
 * {@code <fin complete='true'/>}).
 */
record ArchivePage(List<ArchivedMessage> items, int count, boolean complete) {

    ArchivePage {
        items = List.copyOf(items);
    }
}
