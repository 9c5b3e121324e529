package im.parley.server.modules.presence;

import java.util.LinkedHashSet;
import java.util.Set;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * The presence state of one session: its last broadcast available presence (answered to
 * probes, RFC 6121 §4.3.2), the entities it sent directed presence to (§4.6.2, they get its
 * unavailable presence). Its presence work runs in the account's turns, in the order the
 * client sent it.
 */
final class ResourcePresence {

    private Element lastAvailable;
    private final Set<Jid> directedTo = new LinkedHashSet<>();

    /** The last available presence the resource broadcast, or null while it is unavailable. */
    synchronized Element lastAvailable() {
        return lastAvailable;
    }

    /** Records broadcast presence; returns true if it made the resource available (initial presence, §4.2). */
    synchronized boolean available(Element presence) {
        boolean initial = lastAvailable == null;
        lastAvailable = presence;
        return initial;
    }

    /**
     * Records that the resource became unavailable; returns the entities that had directed
     * presence from it (§4.6.3), or null if it was not available.
     */
    synchronized Set<Jid> unavailable() {
        if (lastAvailable == null) {
            return null;
        }
        lastAvailable = null;
        Set<Jid> directed = Set.copyOf(directedTo);
        directedTo.clear();
        return directed;
    }

    /**
     * §4.6.2: directed available presence is remembered only while the resource is available.
     * Returns true if {@code to} was not remembered yet (another presence to a room it is in
     * changes nothing).
     */
    synchronized boolean directedAvailable(Jid to) {
        return lastAvailable != null && directedTo.add(to);
    }

    /** §4.6.3: after directed unavailable presence, the entity needs no more. Returns true if it was remembered. */
    synchronized boolean directedUnavailable(Jid to) {
        return directedTo.remove(to);
    }

    /** The entities the resource sent directed available presence to and is still available for. */
    synchronized Set<Jid> directed() {
        return Set.copyOf(directedTo);
    }
}
