package im.parley.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadRateLimiter}: a token bucket on the bytes read (RFC 6120 §13.12), driven by the
 * embedded channel's frozen clock. 1000 bytes per second with a burst of 2000.
 */
class ReadRateLimiterTest {

    /** Counts the reads that reach the transport, i.e. pass the limiter towards the head. */
    private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int reads;

        @Override
        public void read(ChannelHandlerContext ctx) {
            reads++;
            ctx.read();
        }
    }

    private final ReadCounter transportReads = new ReadCounter();
    private final ReadRateLimiter limiter = new ReadRateLimiter(new ByteRate(1000, 2000));
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(transportReads, limiter);
    }

    private void receive(int bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    private void advanceMillis(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private int bytesPassedOn() {
        int total = 0;
        for (ByteBuf buf = channel.readInbound(); buf != null; buf = channel.readInbound()) {
            total += buf.readableBytes();
            buf.release();
        }
        return total;
    }

    @Test
    void theBurstIsReadAtOnce() {
        for (int i = 0; i < 4; i++) {
            receive(500);
        }
        assertThat(limiter.isPaused()).isFalse();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(bytesPassedOn()).isEqualTo(2000);
    }

    @Test
    void beyondTheBurstReadingPausesUntilTheRateHasRepaidTheDebt() {
        receive(2000);
        receive(500);
        // Nothing already read is held back or dropped.
        assertThat(bytesPassedOn()).isEqualTo(2500);
        assertThat(limiter.isPaused()).isTrue();
        assertThat(channel.config().isAutoRead()).isFalse();

        advanceMillis(499);
        assertThat(limiter.isPaused()).isTrue();
        advanceMillis(1);
        assertThat(limiter.isPaused()).isFalse();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void readingAtTheRateNeverPauses() {
        receive(2000);
        for (int i = 0; i < 100; i++) {
            advanceMillis(100);
            receive(100);
            assertThat(limiter.isPaused()).as("after %d reads", i).isFalse();
        }
    }

    @Test
    void bytesReadWhilePausedDeepenTheDebt() {
        receive(2500);
        receive(1000);
        advanceMillis(500);
        assertThat(limiter.isPaused()).isTrue();
        advanceMillis(1000);
        assertThat(limiter.isPaused()).isFalse();
    }

    @Test
    void aQuietSpellRefillsNoMoreThanTheBurst() {
        receive(2000);
        advanceMillis(60_000);
        receive(2000);
        assertThat(limiter.isPaused()).isFalse();
        receive(1);
        assertThat(limiter.isPaused()).isTrue();
    }

    @Test
    void aReadAskedForWhilePausedWaitsForTheBudget() {
        receive(2500);
        int before = transportReads.reads;
        // Another handler pauses and resumes reading (a feature step) while the limiter holds back.
        channel.config().setAutoRead(false);
        channel.config().setAutoRead(true);
        channel.read();
        assertThat(transportReads.reads).isEqualTo(before);

        advanceMillis(500);
        assertThat(transportReads.reads).isEqualTo(before + 1);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void autoReadTurnedOffByAnotherHandlerStaysOff() {
        channel.config().setAutoRead(false);
        receive(2500);
        advanceMillis(500);
        assertThat(limiter.isPaused()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();
        // When that handler resumes, its read goes through.
        int before = transportReads.reads;
        channel.config().setAutoRead(true);
        assertThat(transportReads.reads).isEqualTo(before + 1);
    }

    @Test
    void closingCancelsThePendingResume() {
        receive(2500);
        channel.close();
        advanceMillis(1000);
        assertThat(limiter.isPaused()).isFalse();
    }

    @Test
    void anUnlimitedRateNeedsNoLimiter() {
        assertThatThrownBy(() -> new ReadRateLimiter(ByteRate.UNLIMITED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteRate(100, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
