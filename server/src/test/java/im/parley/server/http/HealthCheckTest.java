package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.MovableClock;
import im.parley.server.testing.RecordingExchange;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /health}: 200 when the listeners are open and the database answers, 503 when either
 * is not; the database is asked at most once per {@link HealthCheck#CACHE}.
 */
class HealthCheckTest {

    private final AtomicBoolean listening = new AtomicBoolean(true);
    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final AtomicInteger databaseChecks = new AtomicInteger();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final HealthCheck health = new HealthCheck(listening::get, () -> {
        databaseChecks.incrementAndGet();
        return databaseUp.get();
    }, Runnable::run, clock);

    @Test
    void upWhenTheListenersAreOpenAndTheDatabaseAnswers() {
        RecordingExchange response = get();
        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("listeners: up\ndatabase: up\n");
    }

    @Test
    void downWhenTheDatabaseDoesNotAnswer() {
        databaseUp.set(false);
        RecordingExchange response = get();
        assertThat(response.status()).isEqualTo(503);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("database: down");
    }

    @Test
    void downWhenAListenerIsClosed() {
        listening.set(false);
        RecordingExchange response = get();
        assertThat(response.status()).isEqualTo(503);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("listeners: down");
    }

    @Test
    void theDatabaseIsAskedOncePerCachePeriod() {
        get();
        get();
        assertThat(databaseChecks).hasValue(1);
        databaseUp.set(false);
        clock.advance(HealthCheck.CACHE.plus(Duration.ofMillis(1)));
        assertThat(get().status()).isEqualTo(503);
        assertThat(databaseChecks).hasValue(2);
    }

    @Test
    void onlyGetAndHead() {
        assertThat(RecordingExchange.call(health, HttpMethod.POST, HealthCheck.PATH, null, null, null).status())
                .isEqualTo(405);
    }

    private RecordingExchange get() {
        return RecordingExchange.call(health, HttpMethod.GET, HealthCheck.PATH, null, null, null);
    }
}
