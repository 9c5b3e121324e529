package im.parley.sdk;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/**
 * Watches a {@link ChatClient}'s connection and brings it back when it breaks, following the
 * client's {@link Reconnect} back-off: each attempt reconnects and resumes the XEP-0198 session
 * (§5) when the server allows it, else logs in again. Attempts run on a timer thread, one at a
 * time, under the client's lock.
 */
final class Reconnector {

    /** What the reconnector needs from the client it serves. */
    interface Session {

        /**
         * The connection broke: the client goes from online to reconnecting ({@code retry}) or
         * closed. False, changing nothing, if it was not online.
         */
        boolean lost(boolean retry);

        /** Whether the client still waits for its connection to come back (it may have been closed meanwhile). */
        boolean awaitsReconnection();

        AbstractXMPPConnection connection();

        /** A new session (not a resumed one): announce the user online, waiting until the server has processed it. */
        void announce(AbstractXMPPConnection connection) throws Exception;

        /** The session is back, resumed or new; false if the client was closed meanwhile. */
        boolean reconnected();

        /** The server refused the credentials: the client is over; false if it already was. */
        boolean refused();
    }

    private final Reconnect policy;
    private final Object lock;
    private final Session session;
    private final ClientListeners listeners;
    private final ScheduledExecutorService timer;

    Reconnector(Reconnect policy, String name, Object lock, Session session, ClientListeners listeners) {
        this.policy = policy;
        this.lock = lock;
        this.session = session;
        this.listeners = listeners;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name));
    }

    boolean enabled() {
        return policy.enabled();
    }

    /** Reacts to {@code connection} breaking, from now on. */
    void watch(AbstractXMPPConnection connection) {
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                connectionLost(e);
            }
        });
    }

    /**
     * Cancels any pending attempt and refuses new ones; a running attempt is interrupted. Never
     * waits: the caller drops the connection, which ends a running attempt.
     */
    void stop() {
        timer.shutdownNow();
    }

    private void connectionLost(Exception cause) {
        boolean retry = policy.enabled() && !endsForGood(cause);
        if (!session.lost(retry)) {
            return;
        }
        listeners.fire(ConnectionEvent.CONNECTION_LOST);
        if (retry) {
            schedule(1);
        } else {
            listeners.fire(ConnectionEvent.CLOSED);
        }
    }

    /**
     * A {@code conflict} stream error means another login replaced this session (RFC 6120
     * §4.9.3.3): reconnecting would just kick that one out in turn.
     */
    private static boolean endsForGood(Exception cause) {
        return cause instanceof XMPPException.StreamErrorException streamError
                && streamError.getStreamError().getCondition() == StreamError.Condition.conflict;
    }

    private void schedule(int attempt) {
        try {
            timer.schedule(() -> attempt(attempt), policy.delayBefore(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // close() stopped the timer: nothing to reconnect for.
        }
    }

    private void attempt(int attempt) {
        synchronized (lock) {
            if (!session.awaitsReconnection()) {
                return;
            }
            AbstractXMPPConnection current = session.connection();
            try {
                // Always a new stream: isConnected() cannot tell whether one is open (see below).
                current.connect();
                // Resumes the XEP-0198 session when possible, else binds a new one and resends
                // what the server had not acknowledged.
                current.login();
                if (!resumed(current)) {
                    session.announce(current);
                }
            } catch (SASLErrorException e) {
                if (isTemporary(e)) {
                    retryLater(current, attempt);
                    return;
                }
                // The password changed or the account is gone: retrying cannot succeed.
                current.instantShutdown();
                if (session.refused()) {
                    listeners.fire(ConnectionEvent.CLOSED);
                }
                return;
            } catch (SmackException.AlreadyLoggedInException e) {
                // Logged in already: fall through to "reconnected".
            } catch (Exception e) {
                retryLater(current, attempt);
                return;
            }
            if (!session.reconnected()) {
                // Closed while this attempt ran: the new session must not outlive the client.
                current.instantShutdown();
            }
        }
    }

    /**
     * Drops what the failed attempt opened and schedules the next. An instant shutdown, not a
     * disconnect: a disconnect ends the XEP-0198 session on our side (Smack drops its state and
     * the unacknowledged stanzas), which the next attempt may still resume.
     *
     * <p>Smack's TCP connection keeps reporting {@code isConnected()} once a stream broke while
     * resumption is possible, and does not reset that after an attempt that connected and whose
     * stream then closed (a proxy or load balancer in front of a server that is down). So each
     * attempt connects anew rather than asking {@code isConnected()}: skipping connect() there
     * left every later attempt logging in on a dead stream (issue 18).
     */
    private void retryLater(AbstractXMPPConnection current, int attempt) {
        current.instantShutdown();
        schedule(attempt + 1);
    }

    private static boolean resumed(AbstractXMPPConnection connection) {
        return connection instanceof XMPPTCPConnection tcp && tcp.streamWasResumed();
    }

    /**
     * RFC 6120 §6.5.11: {@code temporary-auth-failure} is "a temporary error condition within
     * the receiving entity" (a server still starting, its account store unreachable), after
     * which the client should "try again later"; every other SASL failure refuses the
     * credentials for good.
     */
    static boolean isTemporary(SASLErrorException e) {
        return e.getSASLFailure() != null && e.getSASLFailure().getSASLError() == SASLError.temporary_auth_failure;
    }
}
