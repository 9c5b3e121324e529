package im.parley.server.c2s;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ChannelBindingSource;
import im.parley.server.metrics.ServerMetrics;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/**
 * RFC 6120 §10.1: deliveries to a session keep the order in which they were made, whichever
 * thread makes them. A stanza delivered on the connection's own executor must not overtake one
 * handed over from another thread a moment earlier (stored messages flushed from the blocking
 * pool, then a live message routed on the recipient's event loop).
 */
class C2sSessionDeliveryOrderTest {

    private final ManualTransport transport = new ManualTransport();
    /** Delivery reads nothing of the context but the stanza counters. */
    private final C2sSession session = new C2sSession(transport, new C2sContext(null, false, null, null, null, null,
            null, null, null, null, null, null, new ServerMetrics(List.of())));

    @Test
    void aDeliveryOnTheExecutorQueuesBehindOnesHandedOverFromElsewhere() {
        transport.onLoop = false;
        session.deliver(message("stored"));
        transport.onLoop = true;
        session.deliver(message("live"));

        transport.runPending();

        assertThat(transport.bodies()).containsExactly("stored", "live");
    }

    @Test
    void withNothingHandedOverADeliveryOnTheExecutorIsWrittenAtOnce() {
        transport.onLoop = true;
        session.deliver(message("live"));

        assertThat(transport.bodies()).containsExactly("live");
    }

    @Test
    void onceTheHandedOverOnesRanDeliveriesAreWrittenAtOnceAgain() {
        transport.onLoop = false;
        session.deliver(message("stored"));
        transport.onLoop = true;
        transport.runPending();
        session.deliver(message("live"));

        assertThat(transport.bodies()).containsExactly("stored", "live");
    }

    private static Element message(String body) {
        Element message = DocumentHelper.createElement("message");
        message.addElement("body").setText(body);
        return message;
    }

    /** A transport whose executor runs tasks only when the test says so. */
    private static final class ManualTransport implements C2sTransport {
        boolean onLoop;
        final Queue<Runnable> pending = new ArrayDeque<>();
        final List<Object> written = new ArrayList<>();

        void runPending() {
            while (!pending.isEmpty()) {
                pending.poll().run();
            }
        }

        List<String> bodies() {
            return written.stream().map(o -> ((Element) o).elementText("body")).toList();
        }

        @Override public void write(Object message) { written.add(message); }
        @Override public void writeAndFlush(Object message) { written.add(message); }
        @Override public void closeAfterFlush() { }
        @Override public void close() { }
        @Override public boolean isActive() { return true; }
        @Override public boolean isSecure() { return true; }
        @Override public ChannelBindingSource channelBindings() { return null; }
        @Override public InetAddress remoteAddress() { return InetAddress.getLoopbackAddress(); }
        @Override public Executor executor() { return pending::add; }
        @Override public boolean inExecutor() { return onLoop; }
        @Override public Runnable schedule(Runnable task, long delayMillis) { return () -> { }; }
        @Override public void pauseReading() { }
        @Override public void resumeReading() { }
        @Override public void restartStream() { }
        @Override public boolean dropBufferedWhitespace() { return true; }
        @Override public void setMaxStanzaBytes(int bytes) { }
        @Override public boolean canStartTls() { return false; }
        @Override public void startTls(SslContext context) { }
        @Override public boolean isOutputCongested(long maxPendingBytes) { return false; }
    }
}
