package im.parley.server.modules.roster;

import im.parley.server.event.EventType;
import im.parley.server.storage.RosterItem;
import java.util.Optional;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/** Roster events: any module that changes a roster fires {@link #CHANGED}; the roster module pushes it. */
public final class RosterEvents {

    /**
     * A roster item changed (RFC 6121 §2.1.6).
     *
     * @param item the new item, or empty if it was removed
     * @param version the roster version after the change (§2.6)
     */
    public record Change(EntityBareJid owner, BareJid contact, Optional<RosterItem> item, long version) {
    }

    /** Fired after a roster item was stored; the roster module sends the roster push. */
    public static final EventType<Change> CHANGED = EventType.named("roster/changed");

    private RosterEvents() {
    }
}
