package im.parley.server.storage;

import java.util.List;

/** A user's roster at one version (RFC 6121 §2.1, §2.6). */
public record Roster(long version, List<RosterItem> items) {

    public Roster {
        items = List.copyOf(items);
    }
}
