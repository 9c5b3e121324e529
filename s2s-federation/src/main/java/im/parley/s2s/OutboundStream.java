package im.parley.s2s;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.s2s.dialback.PendingVerification;
import im.parley.s2s.dns.S2sTarget;
import im.parley.s2s.stream.ContentNamespace;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import im.parley.core.xml.StreamClose;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound stream of one domain pair (RFC 6120 §13.1: one stream per direction), created on
 * demand. Stanzas wait in a queue while the stream is resolved, connected, secured and
 * authenticated, then flow in order; if it cannot be set up in time every queued stanza goes
 * back to its sender with {@code remote-server-not-found} or {@code remote-server-timeout}
 * (RFC 6120 §8.3.3.15, §8.3.3.16). Once established, a stanza larger than the peer's XEP-0478
 * limit is bounced instead of sent ({@link OutboundStreamEncoder}, {@link #tooLarge}) and the
 * others go on. Dialback verification requests for the pair travel on it too
 * (XEP-0220 §2.1.2). Thread-safe: the router calls it from any thread, the handler from the
 * channel's event loop.
 */
final class OutboundStream {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundStream.class);

    enum State { NEW, CONNECTING, ESTABLISHED, CLOSED }

    /** A stanza waiting for the stream; {@code written} completes when it is written or bounced. */
    private record Queued(Stanza stanza, CompletableFuture<Void> written) {
    }

    private final DomainPair pair;
    private final S2sRouter router;
    private final Deque<Queued> queue = new ArrayDeque<>();
    private final List<PendingVerification> verifications = new ArrayList<>();
    private State state = State.NEW;
    private Channel channel;
    private boolean verifyChannelReady;
    private ScheduledFuture<?> setupTimer;
    private String authenticatedBy;

    OutboundStream(DomainPair pair, S2sRouter router) {
        this.pair = pair;
        this.router = router;
    }

    DomainPair pair() {
        return pair;
    }

    /** How many stanzas wait for the stream to be set up. */
    synchronized int queued() {
        return queue.size();
    }

    synchronized State state() {
        return state;
    }

    /** How the local domain authenticated to the peer: {@code sasl-external} or {@code dialback}; null before. */
    synchronized String authenticatedBy() {
        return authenticatedBy;
    }

    /**
     * Sends or queues a stanza; false if this stream has closed (the router then makes a new one).
     * A queued stanza is tracked in {@code handling} until it is written or bounced.
     */
    boolean offer(Stanza stanza, Handling handling) {
        boolean start;
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            if (state == State.ESTABLISHED) {
                channel.writeAndFlush(outgoing(stanza), channel.voidPromise());
                return true;
            }
            Queued queued = new Queued(stanza, new CompletableFuture<>());
            handling.track(queued.written());
            queue.add(queued);
            start = state == State.NEW;
            if (start) {
                state = State.CONNECTING;
            }
        }
        if (start) {
            connect();
        }
        return true;
    }

    /** Sends a {@code db:verify} now if the stream can carry one, else once it can. */
    boolean offer(PendingVerification verification) {
        boolean start;
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            verifications.add(verification);
            if (verifyChannelReady) {
                channel.writeAndFlush(verificationElement(verification));
            }
            start = state == State.NEW;
            if (start) {
                state = State.CONNECTING;
            }
        }
        if (start) {
            connect();
        }
        return true;
    }

    private void connect() {
        long timeout = router.settings().connectTimeout().toMillis();
        setupTimer = router.eventLoops().next().schedule(
                () -> fail(StanzaErrorCondition.REMOTE_SERVER_TIMEOUT, "not established within " + timeout + " ms"),
                timeout, TimeUnit.MILLISECONDS);
        router.blocking().execute(() -> connectNext(attempts().iterator(), null));
    }

    /**
     * Every address of every target, in order: SRV order first, then each host's A/AAAA records
     * as the JDK resolver returns them (honouring /etc/hosts). Blocking.
     */
    private List<ConnectAttempt> attempts() {
        List<ConnectAttempt> attempts = new ArrayList<>();
        List<S2sTarget> targets;
        try {
            targets = router.resolver().resolve(pair.remote());
        } catch (RuntimeException e) {
            LOG.warn("{}: resolving failed", pair, e);
            return attempts;
        }
        for (S2sTarget target : targets) {
            try {
                for (InetAddress address : InetAddress.getAllByName(target.address().host())) {
                    attempts.add(new ConnectAttempt(target, new InetSocketAddress(address, target.address().port())));
                }
            } catch (UnknownHostException e) {
                LOG.debug("{}: {} does not resolve", pair, target.address().host());
            }
        }
        LOG.debug("{}: connecting to {}", pair, attempts);
        return attempts;
    }

    /** One address to connect to, and the target it came from. */
    record ConnectAttempt(S2sTarget target, InetSocketAddress address) {
    }

    /** Tries the next address; when none is left, fails with the last error's condition. */
    void connectNext(Iterator<ConnectAttempt> attempts, StanzaErrorCondition lastFailure) {
        synchronized (this) {
            if (state != State.CONNECTING) {
                return;
            }
        }
        if (!attempts.hasNext()) {
            fail(lastFailure == null ? StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND : lastFailure,
                    "no reachable server for " + pair.remote());
            return;
        }
        ConnectAttempt attempt = attempts.next();
        router.connector().connect(attempt.target(), attempt.address(),
                new OutboundStreamHandler(this, router, attempt.target(), attempts));
    }

    /** The connection attempt's channel, so a timeout can close it. */
    synchronized void attached(Channel attempt) {
        if (state == State.CLOSED) {
            attempt.close();
        } else {
            channel = attempt;
        }
    }

    /** TLS is up (or not needed) and the peer's features are known: {@code db:verify} may go out. */
    synchronized void readyForVerifications(Channel ready) {
        if (state == State.CLOSED) {
            return;
        }
        channel = ready;
        verifyChannelReady = true;
        for (PendingVerification verification : verifications) {
            ready.write(verificationElement(verification));
        }
        ready.flush();
    }

    /** The pair is authenticated: flush the queue, in order. */
    void established(Channel ready, String method) {
        synchronized (this) {
            if (state != State.CONNECTING) {
                ready.close();
                return;
            }
            state = State.ESTABLISHED;
            authenticatedBy = method;
            channel = ready;
            cancelTimer();
            for (Queued queued : queue) {
                ready.write(outgoing(queued.stanza()), ready.voidPromise());
            }
            ready.flush();
            queue.forEach(queued -> queued.written().complete(null));
            queue.clear();
        }
        LOG.info("s2s {} established ({})", pair, method);
        if (!verifyChannelReady) {
            readyForVerifications(ready);
        }
    }

    /**
     * A stanza was not written because it is larger than the peer announced it accepts
     * (XEP-0478 §4): it goes back to its sender with {@code policy-violation}, type modify (RFC
     * 6120 §8.3.3.12), without a 'by' since the policy is the peer's, and with a text that names
     * the remote server's limit; errors and IQ responses are dropped, as every bounce
     * ({@link S2sRouter#bounce}). The stream stays up.
     */
    void tooLarge(Stanza stanza, int bytes, int peerMaxBytes) {
        LOG.info("{}: not sending a {} of {} bytes: {} accepts at most {} (XEP-0478)", pair, stanza.kind(), bytes,
                pair.remote(), peerMaxBytes);
        try {
            router.bounce(stanza, StanzaError.of(StanzaErrorCondition.POLICY_VIOLATION, "the remote server "
                    + pair.remote() + " accepts stanzas of at most " + peerMaxBytes + " bytes; this one has " + bytes));
        } catch (RuntimeException e) {
            // Called from the encoder: a fault of the local router must not end this stream.
            LOG.warn("{}: bouncing a stanza too large for the peer failed", pair, e);
        }
    }

    private static OutboundStreamEncoder.Outgoing outgoing(Stanza stanza) {
        return new OutboundStreamEncoder.Outgoing(stanza, ContentNamespace.toServer(stanza.element()));
    }

    /** An answer to one of our {@code db:verify} requests; unmatched answers are ignored. */
    void verificationAnswered(String from, String to, String id, boolean valid) {
        PendingVerification matched = null;
        synchronized (this) {
            for (Iterator<PendingVerification> it = verifications.iterator(); it.hasNext(); ) {
                PendingVerification candidate = it.next();
                if (candidate.isAnsweredBy(from, to, id)) {
                    it.remove();
                    matched = candidate;
                    break;
                }
            }
        }
        if (matched == null) {
            LOG.warn("{}: ignoring a db:verify answer that matches no request (from={}, to={}, id={})",
                    pair, from, to, id);
            return;
        }
        matched.answer().complete(valid);
    }

    /** True while dialback verifications wait for answers (the stream must not idle out). */
    synchronized boolean hasPendingVerifications() {
        return !verifications.isEmpty();
    }

    /**
     * The stream could not be set up (an established stream ends through {@link #closed()}): bounce every queued stanza, fail pending verifications and
     * leave the router's table so the next stanza tries again.
     */
    void fail(StanzaErrorCondition condition, String reason) {
        List<Queued> bounced;
        List<PendingVerification> failed;
        Channel toClose;
        synchronized (this) {
            if (state == State.CLOSED || state == State.ESTABLISHED) {
                return;
            }
            state = State.CLOSED;
            cancelTimer();
            bounced = new ArrayList<>(queue);
            queue.clear();
            failed = new ArrayList<>(verifications);
            verifications.clear();
            toClose = channel;
        }
        LOG.info("s2s {} failed ({}): {}; bouncing {} stanza(s)", pair, condition.elementName(), reason,
                bounced.size());
        router.forget(this);
        if (toClose != null) {
            toClose.close();
        }
        for (PendingVerification verification : failed) {
            verification.answer().complete(false);
        }
        for (Queued queued : bounced) {
            router.bounce(queued.stanza(), condition);
            queued.written().complete(null);
        }
    }

    /** The established stream ended (idle timeout, peer closed it): the next stanza reconnects. */
    void closed() {
        List<PendingVerification> failed;
        synchronized (this) {
            if (state != State.ESTABLISHED) {
                return;
            }
            state = State.CLOSED;
            failed = new ArrayList<>(verifications);
            verifications.clear();
        }
        LOG.debug("s2s {} closed", pair);
        router.forget(this);
        for (PendingVerification verification : failed) {
            verification.answer().complete(false);
        }
    }

    /** Server shutdown: an established stream closes politely (RFC 6120 §4.4), a pending one bounces. */
    void shutdown() {
        Channel established = null;
        synchronized (this) {
            if (state == State.ESTABLISHED) {
                state = State.CLOSED;
                established = channel;
            }
        }
        if (established != null) {
            established.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
        } else {
            fail(StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, "the server is shutting down");
        }
    }

    private void cancelTimer() {
        if (setupTimer != null) {
            setupTimer.cancel(false);
        }
    }

    private static Element verificationElement(PendingVerification verification) {
        return im.parley.s2s.dialback.Dialback.verify(verification.receiving(), verification.authoritative(),
                verification.streamId(), verification.key());
    }

    @Override
    public String toString() {
        return "s2s-out[" + pair + "]";
    }
}
