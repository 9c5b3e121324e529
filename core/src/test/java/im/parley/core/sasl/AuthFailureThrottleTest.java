package im.parley.core.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AuthFailureThrottleTest {

    private static final Duration WINDOW = Duration.ofMinutes(5);

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final AuthFailureThrottle throttle = new AuthFailureThrottle(3, WINDOW, clock);

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void blocksAfterMaxFailuresWithinTheWindow() throws Exception {
        InetAddress attacker = address("192.0.2.1");
        throttle.recordFailure(attacker);
        throttle.recordFailure(attacker);
        assertThat(throttle.isBlocked(attacker)).isFalse();

        throttle.recordFailure(attacker);
        assertThat(throttle.isBlocked(attacker)).isTrue();
        assertThat(throttle.isBlocked(address("192.0.2.2"))).isFalse();
    }

    @Test
    void windowSlides() throws Exception {
        InetAddress client = address("2001:db8::1");
        throttle.recordFailure(client);
        clock.advance(Duration.ofMinutes(2));
        throttle.recordFailure(client);
        throttle.recordFailure(client);
        assertThat(throttle.isBlocked(client)).isTrue();

        clock.advance(Duration.ofMinutes(3));
        assertThat(throttle.isBlocked(client)).as("the first failure left the window").isFalse();

        throttle.recordFailure(client);
        assertThat(throttle.isBlocked(client)).isTrue();
        clock.advance(WINDOW);
        assertThat(throttle.isBlocked(client)).isFalse();
        assertThat(throttle.trackedAddresses()).isZero();
    }

    @Test
    void successClears() throws Exception {
        InetAddress client = address("192.0.2.3");
        throttle.recordFailure(client);
        throttle.recordFailure(client);
        throttle.recordFailure(client);
        throttle.recordSuccess(client);

        assertThat(throttle.isBlocked(client)).isFalse();
        assertThat(throttle.trackedAddresses()).isZero();
    }

    @Test
    void expiredAddressesAreForgotten() throws Exception {
        throttle.recordFailure(address("192.0.2.4"));
        throttle.recordFailure(address("192.0.2.5"));
        clock.advance(WINDOW);
        throttle.recordFailure(address("192.0.2.6"));

        assertThat(throttle.trackedAddresses()).isEqualTo(1);
    }

    @Test
    void numberOfTrackedAddressesIsCapped() throws Exception {
        AuthFailureThrottle small = new AuthFailureThrottle(2, WINDOW, clock, 2);
        InetAddress first = address("192.0.2.7");
        small.recordFailure(first);
        small.recordFailure(first);
        clock.advance(Duration.ofSeconds(1));
        small.recordFailure(address("192.0.2.8"));
        small.recordFailure(address("192.0.2.9"));

        assertThat(small.trackedAddresses()).isEqualTo(2);
        assertThat(small.isBlocked(first)).as("the oldest entry was dropped").isFalse();
    }
}
