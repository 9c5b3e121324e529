package im.parley.server.session;

import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * Who is online where: the bound client sessions by account and resource, with their
 * availability and priority ({@link LocalSession}). The router's delivery and every module reach
 * sessions through this interface only, so that a clustered table (sessions on other nodes
 * behind the same interface) replaces one class. Implementations are thread-safe: sessions bind
 * and unbind on their own event loops while routers look them up from others.
 */
public interface RouteTable {

    /**
     * Binds the session under its full JID and returns the session it replaced, if any (the
     * caller decides what to do with a conflict, RFC 6120 §7.7.2.2). Fires
     * {@code session/bound} (and {@code session/closed} for the replaced one) on the session's host.
     */
    Optional<LocalSession> bind(LocalSession session);

    /** Removes the session if it is still the one bound under its JID, firing {@code session/closed}. */
    void unbind(LocalSession session);

    /** The session bound under this full JID. */
    Optional<LocalSession> find(EntityFullJid jid);

    /** True if a session is bound under this full JID. */
    default boolean isBound(EntityFullJid jid) {
        return find(jid).isPresent();
    }

    /** All sessions of an account, in no particular order. */
    List<LocalSession> sessionsOf(EntityBareJid account);

    /** Number of bound sessions. */
    int size();

    /** Every session bound on this server process (for shutdown and the session gauges). */
    List<LocalSession> all();

    /**
     * Every session of the service: on a cluster, those bound on the other nodes too, which can
     * be delivered to and closed from here. What the admin tools list and act on.
     */
    default List<LocalSession> everywhere() {
        return all();
    }

    /** Where entities with live state in memory are served ({@link StateHomes}): here, unless on a cluster. */
    default StateHomes homes() {
        return StateHomes.SINGLE;
    }

    /** How the caches of stored state learn of changes made on other nodes ({@link SharedCaches}). */
    default SharedCaches caches() {
        return SharedCaches.LOCAL;
    }
}
