package im.parley.server.modules.sm;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sSession;
import im.parley.server.c2s.SessionInterceptor;
import im.parley.server.event.SessionEvents;
import im.parley.server.routing.UndeliveredStanzas;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XEP-0198 state of one client session once {@code <enable/>} was accepted: the count of
 * stanzas handled from the client ({@code h}, §4), the stanzas sent and not yet acknowledged,
 * and — for a resumable session whose connection was lost — its hibernation (§5): stanzas for it
 * are queued until the client resumes it from a new connection or the window ends.
 *
 * <p>An output interceptor just above the transport: it sees exactly what leaves, in the order it
 * leaves. Called on the session's executor; the resumption steps and {@link Hibernation#extend}
 * come from other threads, so the state is guarded by this object's monitor. Events are fired
 * outside it.
 */
public final class ManagedSession implements SessionInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedSession.class);

    /** Below client state indication: a stanza held back by it has not been sent yet. */
    static final int LAYER = 10;

    /** What the session is doing. */
    enum State {
        /** On a connection: stanzas go out and wait for acks. */
        LIVE,
        /** No connection: stanzas are queued until resumption or the end of the window. */
        HIBERNATED,
        /** A new connection is taking the session over: stanzas are queued until {@code <resumed/>} is out. */
        RESUMING,
        /** The session ended; what it never delivered was handed back to the router. */
        ENDED
    }

    /** How a resumption request was received, before the session moves to the new connection. */
    enum ResumeStart { ACCEPTED, NOT_FOUND, HANDLED_COUNT_TOO_HIGH }

    private final C2sContext context;
    private final StreamManagementConfig config;
    private final String id;
    private final Duration window;
    private final UnackedStanzas unacked = new UnackedStanzas();
    private final InboundCount inbound = new InboundCount();
    /** Stanzas not sent: queued while hibernated or resuming, or left when the stream closed. */
    private final Deque<Element> queued = new ArrayDeque<>();
    private State state = State.LIVE;
    private int sentSinceRequest;
    private Runnable cancelRequestTimer;
    private boolean announcedUnavailable;
    private HibernationHandle hibernation;

    /**
     * @param config the {@code stream_management} options
     * @param id the resumption id, or null if the client did not ask for resumption (§3)
     * @param window how long the session may hibernate
     */
    ManagedSession(C2sContext context, StreamManagementConfig config, String id, Duration window) {
        this.context = context;
        this.config = config;
        this.id = id;
        this.window = window;
    }

    /** The resumption id ({@code <enabled id/>}), or null if the session is not resumable. */
    public String id() {
        return id;
    }

    /** True while the session waits without a connection (XEP-0198 §5). */
    public synchronized boolean isHibernated() {
        return state == State.HIBERNATED;
    }

    /** The current hibernation, if the session is hibernated. */
    public synchronized SessionEvents.Hibernation hibernation() {
        return state == State.HIBERNATED ? hibernation : null;
    }

    /** {@code h}: stanzas handled from the client since {@code <enable/>}, modulo 2^32 (§4). */
    public long handledInbound() {
        return inbound.handled();
    }

    /** Stanzas sent and not yet acknowledged by the client. */
    public synchronized int unackedCount() {
        return unacked.size();
    }

    /** Stanzas queued, not sent (while hibernated or resuming). */
    public synchronized int queuedCount() {
        return queued.size();
    }

    @Override
    public int layer() {
        return LAYER;
    }

    @Override
    public void outbound(Element stanza, C2sSession session) {
        SessionEvents.QueuedStanza queuedEvent = null;
        boolean overflow;
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            overflow = unacked.size() + queued.size() >= config.maxUnacked();
            if (state == State.LIVE && session.isConnected() && !overflow) {
                send(stanza, session);
                return;
            }
            queued.addLast(stanza);
            if (state == State.HIBERNATED && !overflow) {
                queuedEvent = new SessionEvents.QueuedStanza(hibernation, stanza);
            }
        }
        if (overflow) {
            // XEP-0198 §4: a client that does not ack cannot make the server keep stanzas without
            // bound. The session ends; its stanzas go where an unavailable resource's would.
            LOG.info("{}: more than {} unacknowledged stanzas, ending the session", session, config.maxUnacked());
            session.close(StreamError.of(StreamErrorCondition.RESOURCE_CONSTRAINT, "too many unacknowledged stanzas"));
        } else if (queuedEvent != null) {
            context.hosts().fire(session.jid(), SessionEvents.STANZA_QUEUED, queuedEvent);
        }
    }

    /** Sends and counts a stanza; asks for an ack every so often (§4). Holding the monitor. */
    private void send(Element stanza, C2sSession session) {
        unacked.sent(stanza);
        session.deliverBelow(this, stanza);
        sentSinceRequest++;
        if (sentSinceRequest >= config.requestAckEvery()) {
            requestAck(session);
        } else if (cancelRequestTimer == null) {
            cancelRequestTimer = session.transport().schedule(() -> requestAckIfUnacked(session),
                    config.requestAckDelay().toMillis());
        }
    }

    private synchronized void requestAckIfUnacked(C2sSession session) {
        cancelRequestTimer = null;
        if (state == State.LIVE && sentSinceRequest > 0 && session.isConnected()) {
            requestAck(session);
        }
    }

    private void requestAck(C2sSession session) {
        sentSinceRequest = 0;
        cancelRequestTimer();
        session.send(SmElements.request());
    }

    private void cancelRequestTimer() {
        if (cancelRequestTimer != null) {
            cancelRequestTimer.run();
            cancelRequestTimer = null;
        }
    }

    @Override
    public void inboundReceived(Element stanza, CompletionStage<Void> handling, C2sSession session) {
        inbound.received(handling);
        trackGoodbye(stanza);
    }

    private synchronized void trackGoodbye(Element stanza) {
        if ("presence".equals(stanza.getName()) && stanza.attributeValue("to") == null) {
            // A client that said goodbye (RFC 6121 §4.5.1) and then lost its connection is gone,
            // not hibernating.
            String type = stanza.attributeValue("type");
            if ("unavailable".equals(type)) {
                announcedUnavailable = true;
            } else if (type == null) {
                announcedUnavailable = false;
            }
        }
    }

    /**
     * §4: the client's {@code <r/>}, answered at once with what is handled now: stanzas whose
     * storage is still on its way are acknowledged by a later answer. Waiting for them instead
     * could hold the answer as long as a remote domain takes to reach, and clients take a
     * missing answer for a dead connection.
     */
    void answerRequest(C2sSession session) {
        session.send(SmElements.ack(handledInbound()));
    }

    /**
     * Completes once every stanza received from the client so far was handled, or after
     * {@code patience}, whichever comes first (§5: {@code <resumed h/>} then acknowledges what
     * was in flight when the connection broke, and the client does not send it again).
     */
    CompletionStage<Long> inboundSettled(Duration patience) {
        return inbound.handledSoFar().toCompletableFuture()
                .completeOnTimeout(-1L, patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** §4: the client's {@code <a h/>}; an {@code h} acking more than was sent is a stream error (§6). */
    void acknowledge(long h, C2sSession session) {
        long sendCount;
        synchronized (this) {
            if (unacked.ack(h) == UnackedStanzas.AckResult.OK) {
                return;
            }
            sendCount = unacked.sentCount();
        }
        session.close(StreamError.of(StreamErrorCondition.UNDEFINED_CONDITION,
                "you acknowledged more stanzas than were sent"), SmElements.handledCountTooHigh(h, sendCount));
    }

    /** The count of stanzas sent since {@code <enabled/>}, modulo 2^32. */
    synchronized long sentCount() {
        return unacked.sentCount();
    }

    @Override
    public boolean survivesConnectionLoss(C2sSession session) {
        HibernationHandle started;
        synchronized (this) {
            if (id == null || announcedUnavailable || state != State.LIVE) {
                return false;
            }
            state = State.HIBERNATED;
            cancelRequestTimer();
            hibernation = new HibernationHandle(session);
            hibernation.schedule(window);
            started = hibernation;
        }
        LOG.debug("{}: connection lost, hibernating for {}", session, window);
        context.hosts().fire(session.jid(), SessionEvents.HIBERNATED, started);
        return true;
    }

    /**
     * §5, first step, on the session's executor (where its output runs): takes the client's
     * {@code h} as an ack and stops the session's output until {@link #completeResume}. A live
     * session may be taken over too: its old connection may just not have noticed it is dead.
     */
    synchronized ResumeStart beginResume(long h, C2sSession session) {
        boolean live = state == State.LIVE && session.isConnected();
        if (session.isEnded() || !(state == State.HIBERNATED || live)) {
            return ResumeStart.NOT_FOUND;
        }
        if (unacked.ack(h) != UnackedStanzas.AckResult.OK) {
            return ResumeStart.HANDLED_COUNT_TOO_HIGH;
        }
        if (hibernation != null) {
            hibernation.over();
        }
        cancelRequestTimer();
        state = State.RESUMING;
        return ResumeStart.ACCEPTED;
    }

    /**
     * §5, second step, on the new connection's executor once the session was attached to it:
     * {@code <resumed/>}, then every unacknowledged stanza again, then the queued ones.
     */
    void completeResume(C2sSession session) {
        synchronized (this) {
            if (state != State.RESUMING) {
                return;
            }
            session.send(SmElements.resumed(id, inbound.handled()));
            List<Element> resend = new ArrayList<>(unacked.takeAll());
            resend.addAll(queued);
            queued.clear();
            state = State.LIVE;
            sentSinceRequest = 0;
            for (Element stanza : resend) {
                send(stanza, session);
            }
        }
        context.hosts().fire(session.jid(), SessionEvents.RESUMED, session);
    }

    /** A resumption that started could not complete: back to hibernation (or the end). */
    synchronized void abortResume() {
        if (state == State.RESUMING) {
            state = State.HIBERNATED;
        }
    }

    @Override
    public void ended(C2sSession session) {
        List<Element> undelivered;
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            cancelRequestTimer();
            if (hibernation != null) {
                hibernation.over();
            }
            undelivered = new ArrayList<>(unacked.takeAll());
            undelivered.addAll(queued);
            queued.clear();
        }
        if (!undelivered.isEmpty()) {
            LOG.debug("{}: ended with {} undelivered stanzas", session, undelivered.size());
            UndeliveredStanzas.reroute(undelivered, session.jid().asEntityBareJid(), context.router());
        }
    }

    /** The window of one hibernation; the handle modules get with {@link SessionEvents#HIBERNATED}. */
    private final class HibernationHandle implements SessionEvents.Hibernation {

        private final C2sSession session;
        private Instant expiresAt;
        private Runnable cancelExpiry;
        private boolean active = true;

        HibernationHandle(C2sSession session) {
            this.session = session;
        }

        /** Holding the outer monitor. */
        private void schedule(Duration fromNow) {
            if (cancelExpiry != null) {
                cancelExpiry.run();
            }
            expiresAt = Instant.now().plus(fromNow);
            cancelExpiry = session.transport().schedule(this::expire, fromNow.toMillis());
        }

        private void expire() {
            synchronized (ManagedSession.this) {
                if (!active || state != State.HIBERNATED) {
                    return;
                }
            }
            LOG.debug("{}: not resumed in time, ending the session", session);
            session.end();
        }

        /** Holding the outer monitor. */
        private void over() {
            active = false;
            if (cancelExpiry != null) {
                cancelExpiry.run();
                cancelExpiry = null;
            }
        }

        @Override
        public C2sSession session() {
            return session;
        }

        @Override
        public Instant expiresAt() {
            synchronized (ManagedSession.this) {
                return expiresAt;
            }
        }

        @Override
        public int queuedStanzas() {
            return queuedCount();
        }

        @Override
        public boolean isActive() {
            synchronized (ManagedSession.this) {
                return active;
            }
        }

        @Override
        public boolean extend(Duration fromNow) {
            synchronized (ManagedSession.this) {
                if (!active) {
                    return false;
                }
                Duration capped = fromNow.compareTo(config.maxHibernation()) > 0 ? config.maxHibernation() : fromNow;
                if (Instant.now().plus(capped).isAfter(expiresAt)) {
                    schedule(capped);
                }
                return true;
            }
        }
    }
}
