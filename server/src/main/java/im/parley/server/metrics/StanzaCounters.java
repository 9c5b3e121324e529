package im.parley.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.dom4j.Element;

/**
 * Stanzas received from and written to client streams, by kind (RFC 6120 §8: message, presence,
 * iq): six counters made once, so that the hot path only picks one by the element's name and
 * adds one (a striped adder, no lock, no map).
 */
public final class StanzaCounters {

    static final String IN = "parley.stanzas.in";
    static final String OUT = "parley.stanzas.out";

    private final Counter messagesIn;
    private final Counter presencesIn;
    private final Counter iqsIn;
    private final Counter messagesOut;
    private final Counter presencesOut;
    private final Counter iqsOut;

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

    private static Counter pick(String name, Counter message, Counter presence, Counter iq) {
        return switch (name) {
            case "message" -> message;
            case "presence" -> presence;
            default -> iq;
        };
    }

    private static Counter counter(MeterRegistry registry, String name, String kind, String description) {
        return Counter.builder(name).tag("kind", kind).description(description).register(registry);
    }
}
