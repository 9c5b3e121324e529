package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.http.BoshRidWindow.Position;
import org.junit.jupiter.api.Test;

/** The request-id window of XEP-0124 §14 (§14.2 in-order forwarding and window, §14.3 repeats). */
class BoshRidWindowTest {

    /** Session created with rid 100 and requests = 2 (hold 1). */
    private final BoshRidWindow window = new BoshRidWindow(100, 2);

    private static BoshRequest request(long rid) {
        return new BoshRequest(rid, null, null, true);
    }

    /** XEP-0124 §14.2: a rid more than 'requests' above the last one processed is out of the window. */
    @Test
    void ridsAreClassifiedAgainstTheLastProcessed() {
        assertThat(window.position(99)).isEqualTo(Position.REPEATED);
        assertThat(window.position(100)).isEqualTo(Position.REPEATED);
        assertThat(window.position(101)).isEqualTo(Position.NEW);
        assertThat(window.position(102)).isEqualTo(Position.NEW);
        assertThat(window.position(103)).isEqualTo(Position.BEYOND);
    }

    /** XEP-0124 §14.2 (in-order forwarding): requests are processed in rid order, whatever order they arrive in. */
    @Test
    void anEarlyRequestWaitsForTheOneBeforeIt() {
        BoshRequest second = request(102);
        window.await(second);
        assertThat(window.pollNext()).isNull();
        assertThat(window.waiting()).isEqualTo(1);
        assertThat(window.position(102)).isEqualTo(Position.WAITING);

        BoshRequest first = request(101);
        window.await(first);
        assertThat(window.pollNext()).isSameAs(first);
        assertThat(window.pollNext()).isSameAs(second);
        assertThat(window.pollNext()).isNull();
        assertThat(window.hasWaiting()).isFalse();
        // The window moved: 102 is now the last processed.
        assertThat(window.position(102)).isEqualTo(Position.REPEATED);
        assertThat(window.position(104)).isEqualTo(Position.NEW);
        assertThat(window.position(105)).isEqualTo(Position.BEYOND);
    }

    @Test
    void aNewConnectionForAWaitingRidReplacesTheLostOne() {
        window.await(request(102));
        BoshRequest again = request(102);
        window.await(again);
        assertThat(window.waiting()).isEqualTo(1);
        window.await(request(101));
        window.pollNext();
        assertThat(window.pollNext()).isSameAs(again);
    }

    /** XEP-0124 §14.3: only the last 'requests' rids may still be waiting for their response. */
    @Test
    void onlyTheLastRequestsRidsAreRecent() {
        window.await(request(101));
        window.await(request(102));
        window.pollNext();
        window.pollNext();
        assertThat(window.isRecent(102)).isTrue();
        assertThat(window.isRecent(101)).isTrue();
        assertThat(window.isRecent(100)).isFalse();
    }

    /** XEP-0124 §14.2: a repeated rid below the newest processed one is not held again (BoshSession). */
    @Test
    void onlyTheLastProcessedRidIsTheNewest() {
        assertThat(window.isNewest(100)).isTrue();
        window.await(request(101));
        window.pollNext();
        assertThat(window.isNewest(101)).isTrue();
        assertThat(window.isNewest(100)).isFalse();
        window.await(request(102));
        assertThat(window.isNewest(101)).as("102 only waits").isTrue();
    }

    @Test
    void drainingGivesTheWaitingInRidOrder() {
        BoshRequest later = request(102);
        window.await(later);
        assertThat(window.drainWaiting()).containsExactly(later);
        assertThat(window.hasWaiting()).isFalse();
        assertThat(window.position(102)).isEqualTo(Position.NEW);
    }
}
