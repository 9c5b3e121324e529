package im.parley.s2s;

import im.parley.core.routing.StanzaIntake;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether an inbound server-to-server stream's connection is read: not while a negotiation step
 * runs (what comes meanwhile waits in the socket), nor while a stanza of the peer waits to be
 * admitted by the server's bound on stanzas from peers in flight (RFC 6120 §13.12,
 * {@link StanzaIntake}): the peer's bytes wait in its connection and TCP's flow control, nothing
 * is dropped. A hold ends after {@link StanzaIntake#MAX_HOLD} in any case. On the channel's event
 * loop, except where said.
 */
final class InboundReading {

    private final Channel channel;
    private int holds;
    private boolean stepRunning;

    InboundReading(Channel channel) {
        this.channel = channel;
    }

    void stepStarted() {
        stepRunning = true;
        update();
    }

    void stepDone() {
        stepRunning = false;
        update();
    }

    /** Reads no further until {@code room} completes (on any thread), or for {@link StanzaIntake#MAX_HOLD}. */
    void holdUntil(CompletableFuture<Void> room) {
        holds++;
        update();
        EventLoop loop = channel.eventLoop();
        ScheduledFuture<?> cap = loop.schedule(() -> room.complete(null), StanzaIntake.MAX_HOLD.toMillis(),
                TimeUnit.MILLISECONDS);
        room.whenComplete((ignored, failure) -> {
            cap.cancel(false);
            if (loop.inEventLoop()) {
                release();
            } else {
                loop.execute(this::release);
            }
        });
    }

    private void release() {
        holds--;
        update();
    }

    private void update() {
        channel.config().setAutoRead(holds == 0 && !stepRunning);
    }
}
