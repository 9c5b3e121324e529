package im.parley.server.session;

import im.parley.core.routing.Handling;
import im.parley.core.session.StreamSession;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;

/**
 * A client session bound to a full JID on this server (RFC 6120 §7), whatever its transport; in
 * a cluster, possibly one connected to another node (then {@link #deliver} takes the stanza there).
 */
public interface LocalSession extends StreamSession {

    /**
     * Delivers a stanza routed to this session as part of {@code handling}: it counts as
     * handled for its sender (XEP-0198 §4) once this returns for a session of this node, whose
     * stream has taken it; a session on another node tracks there the confirmation of its node.
     */
    default void deliver(Element stanza, Handling handling) {
        deliver(stanza);
    }

    /**
     * Completes once the stanzas delivered so far have reached the session's output: true if
     * they were written to its connection or held by stream management (XEP-0198 §5), false if
     * the stream closed first and dropped them. At once for a session that takes a stanza as it
     * is delivered.
     */
    default CompletionStage<Boolean> written() {
        return CompletableFuture.completedFuture(true);
    }

    /**
     * True for a session whose client is connected to this server process; false for one that
     * another node of the cluster holds (its stanzas go there).
     */
    default boolean isOnThisNode() {
        return true;
    }

    /** The bound full JID. */
    EntityFullJid jid();

    /** Presence priority of the resource (RFC 6121 §4.7.2.3); 0 until presence says otherwise. */
    int priority();

    /** True once the client has sent available presence (RFC 6121 §4.2), false after unavailable. */
    boolean isAvailable();

    /** Records the client's own broadcast presence: availability and priority (RFC 6121 §4.7.2.3). */
    void updatePresence(boolean available, int priority);

    /**
     * The last available presence of a session connected to another node of a cluster, as its
     * node shared it, or null: a copy for each call. Null for a session of this node, whose
     * presence the presence module keeps itself.
     */
    default Element sharedPresence() {
        return null;
    }

    /**
     * True if a session connected to another node of a cluster requested the roster there (an
     * interested resource, RFC 6121 §2.1.2, which gets roster pushes, §2.1.6), as its node shared
     * it. False for a session of this node, whose interest the roster module keeps itself.
     */
    default boolean sharedRosterInterest() {
        return false;
    }

    /**
     * True if a session connected to another node of a cluster has Message Carbons enabled there
     * (XEP-0280 §4, until it disables them, §5), as its node shared it: it gets copies of its
     * account's messages routed here (§6, §7). False for a session of this node, whose choice the
     * carbons module keeps itself.
     */
    default boolean sharedCarbons() {
        return false;
    }

    /**
     * True if a session connected to another node of a cluster retrieved its block list there
     * (XEP-0191 §3.2), as its node shared it: it gets the pushes of a block or unblock made here
     * (§3.3, §3.4). False for a session of this node, whose interest the blocking module keeps
     * itself.
     */
    default boolean sharedBlockListInterest() {
        return false;
    }

    /**
     * The entities a session connected to another node of a cluster sent directed available
     * presence to (RFC 6121 §4.6.2), as its node shared them: they get its unavailable presence
     * when it ends (§4.6.3). Empty for a session of this node, whose recipients the presence
     * module keeps itself.
     */
    default Set<Jid> sharedDirectedPresence() {
        return Set.of();
    }
}
