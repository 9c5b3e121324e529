package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDB;

/**
 * The archive's background writes keep pace with its intake ({@link BackgroundWritePace}): the
 * limit handed to RocksDB's rate limiter follows the bytes that arrive, second by second.
 */
class BackgroundWritePaceTest {

    private static final long MB = 1L << 20;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private BackgroundWritePace pace;

    @BeforeAll
    static void load() {
        RocksDB.loadLibrary();
    }

    @AfterEach
    void close() {
        pace.close();
    }

    @Test
    void startsAtTheFloorAndTheLimiterWithIt() {
        pace = new BackgroundWritePace(now::get);

        assertThat(pace.rate()).isEqualTo(BackgroundWritePace.FLOOR);
        assertThat(pace.limiter().getBytesPerSecond()).isEqualTo(BackgroundWritePace.FLOOR);
    }

    @Test
    void followsTheJournalsIntakeOnceASecond() {
        pace = new BackgroundWritePace(now::get);

        for (int i = 0; i < 10; i++) {
            pace.arrived(2 * MB);
            advance(100);
        }
        assertThat(pace.rate()).as("within the first second").isEqualTo(BackgroundWritePace.FLOOR);
        pace.arrived(0);

        long expected = BackgroundWritePace.FACTOR * 20 * MB;
        assertThat(pace.rate()).isEqualTo(expected);
        assertThat(pace.limiter().getBytesPerSecond()).isEqualTo(expected);
    }

    @Test
    void takesTheLargerOfTheJournalsAndTheIndexersBytesNotTheirSum() {
        pace = new BackgroundWritePace(now::get);

        pace.arrived(12 * MB);
        pace.indexed(10 * MB);
        advance(1000);
        pace.indexed(2 * MB);

        assertThat(pace.rate()).isEqualTo(BackgroundWritePace.FACTOR * 12 * MB);
    }

    @Test
    void aStalledIndexerDoesNotDragTheLimitDownWhileMessagesStillArrive() {
        pace = new BackgroundWritePace(now::get);
        pace.arrived(15 * MB);
        advance(1000);
        pace.indexed(MB);

        pace.arrived(15 * MB);
        pace.indexed(MB);
        advance(1000);
        pace.arrived(0);

        assertThat(pace.rate()).isEqualTo(BackgroundWritePace.FACTOR * 15 * MB);
    }

    @Test
    void fallsBackToTheFloorWhenTheIntakeStops() {
        pace = new BackgroundWritePace(now::get);
        pace.arrived(30 * MB);
        advance(1000);
        pace.arrived(0);
        assertThat(pace.rate()).isEqualTo(BackgroundWritePace.FACTOR * 30 * MB);

        advance(60_000);
        pace.arrived(100);

        assertThat(pace.rate()).isEqualTo(BackgroundWritePace.FLOOR);
        assertThat(pace.limiter().getBytesPerSecond()).isEqualTo(BackgroundWritePace.FLOOR);
    }

    @Test
    void anAppendReportedAfterTheCloseChangesNothing() {
        pace = new BackgroundWritePace(now::get);
        pace.close();
        advance(1000);

        pace.arrived(30 * MB);

        assertThat(pace.rate()).isEqualTo(BackgroundWritePace.FLOOR);
    }

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
