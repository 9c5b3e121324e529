package im.parley.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Issue 17 item 4: what one client address may hold at once, and what counts as one address. */
class PerAddressCounterTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anAddressHoldsAtMostTheLimitAndGetsBackWhatItReleases() throws Exception {
        PerAddressCounter counter = new PerAddressCounter(2, a -> false);
        assertThat(counter.tryAcquire(ip("192.0.2.1"))).isTrue();
        assertThat(counter.tryAcquire(ip("192.0.2.1"))).isTrue();
        assertThat(counter.tryAcquire(ip("192.0.2.1"))).isFalse();
        assertThat(counter.tryAcquire(ip("192.0.2.2"))).as("another address").isTrue();
        assertThat(counter.count(ip("192.0.2.1"))).isEqualTo(2);

        counter.release(ip("192.0.2.1"));
        assertThat(counter.tryAcquire(ip("192.0.2.1"))).isTrue();
        counter.release(ip("192.0.2.1"));
        counter.release(ip("192.0.2.1"));
        assertThat(counter.count(ip("192.0.2.1"))).isZero();
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() throws Exception {
        PerAddressCounter counter = new PerAddressCounter(2, a -> false);
        assertThat(counter.tryAcquire(ip("2001:db8:1:2::1"))).isTrue();
        assertThat(counter.tryAcquire(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(counter.tryAcquire(ip("2001:db8:1:2:abcd::7"))).as("same /64").isFalse();
        assertThat(counter.tryAcquire(ip("2001:db8:1:3::1"))).as("the next /64").isTrue();
    }

    @Test
    void exemptAddressesAreNotCounted() throws Exception {
        PerAddressCounter counter = new PerAddressCounter(1, InetAddress::isLoopbackAddress);
        for (int i = 0; i < 10; i++) {
            assertThat(counter.tryAcquire(ip("127.0.0.1"))).isTrue();
        }
        counter.release(ip("127.0.0.1"));
        assertThat(counter.count(ip("127.0.0.1"))).isZero();
    }
}
