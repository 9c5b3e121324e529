package im.parley.server.modules.adhoc;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jxmpp.jid.Jid;

/**
 * The open command sessions of one host, per requester (XEP-0050 §3.3: a session is valid between
 * one requester and the responder), bounded in idle time and in the number that wait for the
 * requester's next step (a command that completes at once holds none). It
 * remembers the ids of sessions that ended lately, so that a requester using one again learns
 * that it expired rather than that it never existed. Thread-safe.
 */
final class CommandSessions {

    /** How many ended session ids are remembered, across requesters. */
    static final int ENDED_REMEMBERED = 4096;

    /** An open session; {@code busy} while one of its steps runs. */
    static final class Session {
        final String id;
        final Jid requester;
        final AdHocCommand command;
        final CommandExecution execution;
        CommandStage stage;
        Instant lastUsed;
        boolean busy = true;

        private Session(String id, Jid requester, AdHocCommand command, CommandExecution execution, Instant now) {
            this.id = id;
            this.requester = requester;
            this.command = command;
            this.execution = execution;
            this.lastUsed = now;
        }
    }

    /** What a session id turned out to be. */
    enum Lookup { OPEN, BUSY, EXPIRED, UNKNOWN }

    /** The outcome of {@link #take}: the session when {@code OPEN}, else null. */
    record Taken(Lookup lookup, Session session) {
    }

    private final int maxPerRequester;
    private final Duration timeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<Jid, Map<String, Session>> open = new HashMap<>();
    private final Map<String, Boolean> ended = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    };

    CommandSessions(int maxPerRequester, Duration timeout, Clock clock) {
        this.maxPerRequester = maxPerRequester;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A session for a new run, busy with its first step; it counts once it waits for the requester. */
    synchronized Session open(Jid requester, AdHocCommand command) {
        List<CommandExecution> expired = removeExpired();
        expired.forEach(CommandExecution::cancel);
        String id = HexFormat.of().formatHex(randomBytes());
        Session session = new Session(id, requester, command, command.newExecution(requester), clock.instant());
        open.computeIfAbsent(requester, r -> new HashMap<>()).put(id, session);
        return session;
    }

    /** Looks a session up and, if it is open and idle, marks it busy. */
    synchronized Taken take(Jid requester, String id) {
        Map<String, Session> mine = open.get(requester);
        Session session = mine == null ? null : mine.get(id);
        if (session == null) {
            return new Taken(ended.containsKey(key(requester, id)) ? Lookup.EXPIRED : Lookup.UNKNOWN, null);
        }
        if (session.busy) {
            return new Taken(Lookup.BUSY, null);
        }
        if (isExpired(session, clock.instant())) {
            end(session);
            session.execution.cancel();
            return new Taken(Lookup.EXPIRED, null);
        }
        session.busy = true;
        return new Taken(Lookup.OPEN, session);
    }

    /**
     * A step is done and the session waits at {@code stage}; false, and the session ends, if it is
     * a new session and the requester has as many sessions waiting as it may.
     */
    synchronized boolean waitAt(Session session, CommandStage stage) {
        if (session.stage == null && waiting(session.requester) >= maxPerRequester) {
            end(session);
            return false;
        }
        session.stage = stage;
        session.lastUsed = clock.instant();
        session.busy = false;
        return true;
    }

    private long waiting(Jid requester) {
        Map<String, Session> mine = open.get(requester);
        return mine == null ? 0 : mine.values().stream().filter(session -> session.stage != null).count();
    }

    /** A step failed without changing the stage: the session waits where it was; a new one ends. */
    synchronized void stepFailed(Session session) {
        if (session.stage == null) {
            end(session);
        } else {
            session.lastUsed = clock.instant();
            session.busy = false;
        }
    }

    /** The session completed or was canceled: its id is not used again (XEP-0050 §3.3). */
    synchronized void end(Session session) {
        Map<String, Session> mine = open.get(session.requester);
        if (mine != null && mine.remove(session.id) != null && mine.isEmpty()) {
            open.remove(session.requester);
        }
        ended.put(key(session.requester, session.id), Boolean.TRUE);
    }

    /** Open sessions, across requesters (for tests and the log). */
    synchronized int size() {
        return open.values().stream().mapToInt(Map::size).sum();
    }

    private List<CommandExecution> removeExpired() {
        Instant now = clock.instant();
        List<CommandExecution> expired = new ArrayList<>();
        for (Iterator<Map<String, Session>> requesters = open.values().iterator(); requesters.hasNext(); ) {
            Map<String, Session> mine = requesters.next();
            for (Iterator<Session> sessions = mine.values().iterator(); sessions.hasNext(); ) {
                Session session = sessions.next();
                if (!session.busy && isExpired(session, now)) {
                    sessions.remove();
                    ended.put(key(session.requester, session.id), Boolean.TRUE);
                    expired.add(session.execution);
                }
            }
            if (mine.isEmpty()) {
                requesters.remove();
            }
        }
        return expired;
    }

    private boolean isExpired(Session session, Instant now) {
        return !session.lastUsed.plus(timeout).isAfter(now);
    }

    private byte[] randomBytes() {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return id;
    }

    private static String key(Jid requester, String id) {
        return requester + " " + id;
    }
}
