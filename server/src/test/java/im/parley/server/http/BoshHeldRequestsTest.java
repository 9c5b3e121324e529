package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Held requests and their 'wait' timers (XEP-0124 §7, §8, §11). */
class BoshHeldRequestsTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<BoshRequest> expired = new ArrayList<>();
    private final List<String> lost = new ArrayList<>();
    private final BoshHeldRequests held =
            new BoshHeldRequests(Runnable::run, scheduler, 30_000, expired::add, () -> lost.add("lost"));

    private static BoshRequest request(long rid) {
        return new BoshRequest(rid, null, new EmbeddedChannel(), true);
    }

    @Test
    void theOldestIsAnsweredFirst() {
        BoshRequest first = request(1);
        BoshRequest second = request(2);
        held.hold(first);
        held.hold(second);
        assertThat(held.size()).isEqualTo(2);
        assertThat(held.poll()).isSameAs(first);
        assertThat(held.poll()).isSameAs(second);
        assertThat(held.poll()).isNull();
        assertThat(held.isEmpty()).isTrue();
    }

    /** XEP-0124 §8: with nothing to send within 'wait', the request gets an empty response. */
    @Test
    void eachRequestWaitsOnceForWait() {
        BoshRequest first = request(1);
        held.hold(first);
        held.armWait();
        held.hold(request(2));
        held.armWait();
        assertThat(scheduler.timers).hasSize(2).allSatisfy(t -> assertThat(t.delayMillis).isEqualTo(30_000));

        scheduler.timers.get(0).fire();
        assertThat(expired).containsExactly(first);
        assertThat(held.size()).isEqualTo(1);
    }

    @Test
    void answeringStopsTheWaitAndTheWatch() {
        BoshRequest first = request(1);
        held.hold(first);
        held.armWait();
        assertThat(held.poll()).isSameAs(first);
        assertThat(scheduler.pending()).isEmpty();
        first.channel().close();
        assertThat(lost).isEmpty();
    }

    /** A closed connection loses its request: output waits for the next one. */
    @Test
    void aClosedConnectionIsNoLongerHeld() {
        BoshRequest first = request(1);
        held.hold(first);
        held.armWait();
        first.channel().close();
        assertThat(held.isEmpty()).isTrue();
        assertThat(lost).containsExactly("lost");
        assertThat(scheduler.pending()).isEmpty();
    }

    /** XEP-0124 §14.3: a repeated rid still held is answered on its new connection. */
    @Test
    void aRepeatedRidMovesToItsNewConnection() {
        BoshRequest old = request(1);
        held.hold(old);
        held.armWait();
        BoshRequest again = request(1);
        assertThat(held.replaceConnection(again)).isTrue();
        assertThat(held.replaceConnection(request(2))).isFalse();
        old.channel().close();
        assertThat(lost).isEmpty();
        assertThat(held.size()).isEqualTo(1);
        // The wait timer keeps running for it.
        scheduler.timers.get(0).fire();
        assertThat(expired).containsExactly(again);
    }

    /**
     * XEP-0124 §14.3: the old connection's close may be reported after its request moved to a new
     * connection; the request, now answerable there, stays held.
     */
    @Test
    void aCloseReportedAfterTheMoveIsIgnored() {
        ArrayDeque<Runnable> loop = new ArrayDeque<>();
        BoshHeldRequests queued = new BoshHeldRequests(loop::add, scheduler, 30_000, expired::add,
                () -> lost.add("lost"));
        BoshRequest old = request(1);
        queued.hold(old);
        old.channel().close();
        BoshRequest again = request(1);
        assertThat(queued.replaceConnection(again)).isTrue();
        loop.forEach(Runnable::run);
        assertThat(queued.size()).isEqualTo(1);
        assertThat(lost).isEmpty();
        assertThat(queued.poll()).isSameAs(again);
    }

    @Test
    void removingTakesThatVeryRequest() {
        BoshRequest first = request(1);
        BoshRequest second = request(2);
        held.hold(first);
        held.hold(second);
        assertThat(held.remove(second)).isTrue();
        assertThat(held.remove(request(1))).isFalse();
        assertThat(held.poll()).isSameAs(first);
    }
}
