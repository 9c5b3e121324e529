package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.core.net.ByteRate;
import java.time.Duration;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-connection read rate (limits.c2s_read_rate, RFC 6120 §13.12 on denial of service) over
 * a real TCP connection with STARTTLS: a client that sends faster is read at the rate, paused
 * rather than disconnected, and nothing it sent is lost. The test asserts only a lower bound on
 * the time the server takes, which no scheduling delay can break: at most the burst, plus what
 * one socket read and one TLS record bring in past the budget, can be read ahead of the rate.
 */
class ReadRateLimitTest {

    static final int RATE = 40_000;
    static final int BURST = 4096;
    /** One socket read (Netty reads at most 64 KiB at once) and one TLS record. */
    static final int MOST_READ_AHEAD = 64 * 1024 + 16 * 1024;

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension(limits -> limits.withInput(
            limits.input().withC2sRead(new ByteRate(RATE, BURST))));

    /** The shortest time the server can take to read {@code bytes} sent at once. */
    static Duration leastTimeToRead(int bytes) {
        return Duration.ofMillis(1000L * (bytes - BURST - MOST_READ_AHEAD) / RATE);
    }

    @Test
    @DisplayName("RFC 6120 §13.12: a client sending faster than limits.c2s_read_rate is read at that rate, not cut off")
    void fastClientIsReadAtTheRateAndLosesNothing() {
        RawXmppClient client = parley.raw();
        String jid = client.login(parley.newAccount("fast").getLocalpart().toString(), ParleyServerExtension.PASSWORD,
                "rate");
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            burst.append("<message to='").append(jid).append("' id='m").append(i).append("'><body>")
                    .append("x".repeat(2000)).append("</body></message>");
        }
        burst.append("<iq type='get' id='last' to='").append(ParleyServerExtension.DOMAIN)
                .append("'><ping xmlns='urn:xmpp:ping'/></iq>");
        int bytes = burst.length();

        long start = System.nanoTime();
        client.send(burst.toString());
        int messages = 0;
        for (Element e = client.nextElement(); !"last".equals(e.attributeValue("id")); e = client.nextElement()) {
            assertThat(e.attributeValue("id")).isEqualTo("m" + messages);
            messages++;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(messages).isEqualTo(80);
        assertThat(took).isGreaterThanOrEqualTo(leastTimeToRead(bytes));
    }
}
