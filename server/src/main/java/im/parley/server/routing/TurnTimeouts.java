package im.parley.server.routing;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long one piece of deferred work may hold its account's turn ({@link AccountStep}): storage
 * answers or fails well within it; a piece that never completes (a bug) must not stop the
 * account's stanzas for good, so it fails with a {@link TimeoutException} and the turn goes on,
 * with an error in the log.
 *
 * <p>One wheel timer (Netty's {@link HashedWheelTimer}, a tick every 100 ms) for all pieces:
 * queueing a timeout there wakes no thread. {@code CompletableFuture.orTimeout}, used before,
 * put every piece in the JDK's shared delay queue under its lock, and woke its thread whenever
 * the queue had emptied: about 3,700 wake-ups a second at 8,000 chat messages a second, two
 * pieces per message with the archive on (docs/benchmarks.md, "Fewer hand-offs and compactions").
 * The server owns one and stops it when it stops.
 */
public final class TurnTimeouts implements AutoCloseable {

    /** The server's limit for one piece of deferred work. */
    public static final Duration PIECE_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(TurnTimeouts.class);

    private final Duration pieceTimeout;
    private final HashedWheelTimer timer;

    /** The server's: {@link #PIECE_TIMEOUT}. */
    public TurnTimeouts() {
        this(PIECE_TIMEOUT);
    }

    public TurnTimeouts(Duration pieceTimeout) {
        this.pieceTimeout = pieceTimeout;
        this.timer = new HashedWheelTimer(new DefaultThreadFactory("parley-turn-timeouts", true), 100,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Fails {@code piece} with a {@link TimeoutException} unless it completes within the piece
     * timeout. Once stopped ({@link #close}: the server is stopping), pieces run without a limit.
     */
    void limit(EntityBareJid account, CompletableFuture<?> piece) {
        Timeout timeout;
        try {
            timeout = timer.newTimeout(expired -> {
                if (piece.completeExceptionally(new TimeoutException("deferred work of " + account + " did not complete within "
                        + pieceTimeout))) {
                    LOG.error("work for {} did not complete within {}: the account's next stanzas go on", account,
                            pieceTimeout);
                }
            }, pieceTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IllegalStateException stopped) {
            return;
        }
        piece.whenComplete((value, failure) -> timeout.cancel());
    }

    /** Stops the timer; pending timeouts are dropped (the server's turns are over by then). */
    @Override
    public void close() {
        timer.stop();
    }
}
