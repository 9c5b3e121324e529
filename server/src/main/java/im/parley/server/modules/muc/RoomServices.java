package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;
import org.jxmpp.jid.EntityBareJid;

/**
 * What every room of a service shares: where its stanzas go, the clock, the limits and the
 * service-wide admins (the top-level {@code admins} option), the service's occupant ids (XEP-0421).
 */
record RoomServices(Consumer<Stanza> out, Clock clock, MucLimits limits, Set<EntityBareJid> admins,
                    OccupantIds occupantIds) {

    RoomServices {
        admins = Set.copyOf(admins);
    }
}
