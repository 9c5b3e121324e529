package im.parley.server.event;

import im.parley.server.session.LocalSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/** Lifecycle events of local client sessions. */
public final class SessionEvents {

    /** A resource was bound (RFC 6120 §7). */
    public static final EventType<LocalSession> BOUND = EventType.named("session/bound");
    /**
     * A session sent its initial available presence, or became available again after
     * unavailable presence (RFC 6121 §4.2): offline messages are delivered on this (XEP-0160).
     * Fired after the session's availability and priority were updated.
     */
    public static final EventType<LocalSession> AVAILABLE = EventType.named("session/available");
    /** A session sent unavailable presence without closing its stream (RFC 6121 §4.5). */
    public static final EventType<LocalSession> UNAVAILABLE = EventType.named("session/unavailable");
    /**
     * A bound session ended for any reason: closed stream, error, dropped connection without
     * stream management, or a hibernation that ran out ({@link #HIBERNATED}).
     */
    public static final EventType<LocalSession> CLOSED = EventType.named("session/closed");

    /**
     * A session requested the roster (RFC 6121 §2.1.2): it is an "interested resource" from now
     * on, until it ends, and gets the roster pushes of §2.1.6. Fired by the roster module once
     * per session; a cluster shares it with the session's route, so that every node pushes to it.
     */
    public static final EventType<LocalSession> ROSTER_REQUESTED = EventType.named("session/roster-requested");
    /**
     * The entities a session sent directed available presence to changed (RFC 6121 §4.6.2: one
     * was added, or got directed unavailable presence, §4.6.3). Fired by the presence module
     * only when the set changes, not for each directed presence; a cluster shares the set with
     * the session's route, so that they get unavailable presence should its node die.
     */
    public static final EventType<DirectedPresence> DIRECTED_PRESENCE = EventType.named("session/directed-presence");

    /** {@link #DIRECTED_PRESENCE}: the session and the entities it has sent directed available presence to now. */
    public record DirectedPresence(LocalSession session, Set<Jid> recipients) {

        public DirectedPresence {
            recipients = Set.copyOf(recipients);
        }
    }

    /**
     * A session enabled or disabled Message Carbons (XEP-0280 §4, §5): while enabled it gets
     * copies of its account's messages (§6, §7), until it disables them or ends; a XEP-0198
     * resumption keeps the choice. Fired by the carbons module when the choice changes; a cluster
     * shares it with the session's route, so that every node copies to it.
     */
    public static final EventType<CarbonsChoice> CARBONS = EventType.named("session/carbons");

    /** {@link #CARBONS}: the session and whether it has carbons enabled now. */
    public record CarbonsChoice(LocalSession session, boolean enabled) {
    }

    /**
     * A session retrieved its block list (XEP-0191 §3.2): it gets the pushes of §3.3 and §3.4 from
     * now on, until it ends. Fired by the blocking module once per session; a cluster shares it
     * with the session's route, so that a block or unblock made through any node is pushed to it.
     */
    public static final EventType<LocalSession> BLOCK_LIST_REQUESTED = EventType.named("session/block-list-requested");

    /**
     * A resumable session lost its connection and hibernates (XEP-0198 §5): it stays bound and
     * keeps its presence (no unavailable is broadcast), stanzas for it are queued
     * ({@link #STANZA_QUEUED}), and it waits for the client to resume it from a new connection
     * until {@link Hibernation#expiresAt()}. It then either {@link #RESUMED resumes} or ends
     * ({@link #CLOSED}; its unacknowledged and queued messages are routed to the account's bare
     * JID, hence to offline storage). Fired on the session's executor. A push module (XEP-0357)
     * keeps the handle to {@link Hibernation#extend extend} the window.
     */
    public static final EventType<Hibernation> HIBERNATED = EventType.named("session/hibernated");
    /**
     * A hibernated (or still connected) session was resumed by the client from a new connection
     * (XEP-0198 §5): {@code <resumed/>} was sent and the unacknowledged and queued stanzas were
     * sent again. Its {@link Hibernation} handle is over.
     */
    public static final EventType<LocalSession> RESUMED = EventType.named("session/resumed");
    /**
     * A stanza for a hibernated session was queued instead of sent (XEP-0198 §5): the moment a
     * push module (XEP-0357) notifies the client's app server. Fired once per stanza, on the
     * session's executor, after the stanza was queued. The stanza is read-only.
     */
    public static final EventType<QueuedStanza> STANZA_QUEUED = EventType.named("session/stanza-queued");

    /** A stanza queued for a hibernated session ({@link #STANZA_QUEUED}). */
    public record QueuedStanza(Hibernation hibernation, Element stanza) {

        /** True for a message with a body: what users are told about (XEP-0357 §5 "last-message-body"). */
        public boolean isMessageWithBody() {
            return "message".equals(stanza.getName()) && stanza.element("body") != null;
        }
    }

    /**
     * A session waiting without a connection for its client to resume it (XEP-0198 §5). The
     * handle stays valid after the hibernation is over: {@link #isActive()} tells.
     */
    public interface Hibernation {

        /** The hibernated session (still bound, still available if it was). */
        LocalSession session();

        /** When the session ends unless resumed or extended. */
        Instant expiresAt();

        /** Stanzas queued since the connection was lost (messages, presence, IQs). */
        int queuedStanzas();

        /** True until the session is resumed or ended. */
        boolean isActive();

        /**
         * Keeps the session at least {@code fromNow} longer, as Prosody and ejabberd do when a
         * push notification was delivered; never beyond the configured
         * {@code stream_management.max_hibernation} from now and never shorter than it already
         * is. Callable from any thread. Returns false if the hibernation is already over.
         */
        boolean extend(Duration fromNow);
    }

    private SessionEvents() {
    }
}
