package im.parley.server.c2s;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.metrics.ServerMetrics;
import java.util.List;
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

    private final ManualC2sTransport transport = new ManualC2sTransport();
    /** Delivery reads nothing of the context but the stanza counters. */
    private final C2sSession session = new C2sSession(transport, new C2sContext(null, false, null, null, null, null,
            null, null, null, null, null, null, new ServerMetrics(List.of()),
            new IntakeLimit(IntakeLimit.DEFAULT_MAX)));

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
}
