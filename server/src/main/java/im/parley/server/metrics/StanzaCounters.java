package im.parley.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;
import org.dom4j.Element;

/**
 * Stanzas received from and written to client streams, by kind (RFC 6120 §8: message, presence,
 * iq): six counters made once, so that the hot path only picks one by the element's name and
 * adds one to a {@link LongAdder} (striped per thread, no lock, no map; the registry reads the
 * sums when scraped, so a stanza pays neither Micrometer's double arithmetic nor its exemplars).
 */
public final class StanzaCounters {

    static final String IN = "parley.stanzas.in";
    static final String OUT = "parley.stanzas.out";

    private final LongAdder messagesIn;
    private final LongAdder presencesIn;
    private final LongAdder iqsIn;
    private final LongAdder messagesOut;
    private final LongAdder presencesOut;
    private final LongAdder iqsOut;

    StanzaCounters(MeterRegistry registry) {
        messagesIn = counter(registry, IN, "message", "Stanzas received from client streams");
        presencesIn = counter(registry, IN, "presence", "Stanzas received from client streams");
        iqsIn = counter(registry, IN, "iq", "Stanzas received from client streams");
        messagesOut = counter(registry, OUT, "message", "Stanzas written to client streams");
        presencesOut = counter(registry, OUT, "presence", "Stanzas written to client streams");
        iqsOut = counter(registry, OUT, "iq", "Stanzas written to client streams");
    }

    /** A stanza a client sent. */
    public void received(Element stanza) {
        pick(stanza.getName(), messagesIn, presencesIn, iqsIn).increment();
    }

    /** A stanza written to a client. */
    public void sent(Element stanza) {
        pick(stanza.getName(), messagesOut, presencesOut, iqsOut).increment();
    }

    private static LongAdder pick(String name, LongAdder message, LongAdder presence, LongAdder iq) {
        return switch (name) {
            case "message" -> message;
            case "presence" -> presence;
            default -> iq;
        };
    }

    private static LongAdder counter(MeterRegistry registry, String name, String kind, String description) {
        LongAdder adder = new LongAdder();
        FunctionCounter.builder(name, adder, LongAdder::sum).tag("kind", kind).description(description)
                .register(registry);
        return adder;
    }
}
