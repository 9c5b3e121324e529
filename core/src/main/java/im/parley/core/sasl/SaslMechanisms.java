package im.parley.core.sasl;

import java.util.List;
import java.util.Optional;

/** The mechanisms a server offers, in preference order (RFC 6120 §6.4.1 lists them in order). */
public final class SaslMechanisms {

    private final List<SaslMechanism> mechanisms;

    public SaslMechanisms(List<SaslMechanism> mechanisms) {
        this.mechanisms = List.copyOf(mechanisms);
    }

    /**
     * Strongest first: channel-bound SCRAM (RFC 5802 §6, RFC 9266), then SCRAM by hash strength
     * (RFC 7677 §5 recommends SHA-256 over SHA-1), then PLAIN over TLS (RFC 4616).
     */
    public static SaslMechanisms defaults() {
        return new SaslMechanisms(List.of(
                new ScramMechanism(ScramHash.SHA_512, true),
                new ScramMechanism(ScramHash.SHA_256, true),
                new ScramMechanism(ScramHash.SHA_1, true),
                new ScramMechanism(ScramHash.SHA_512, false),
                new ScramMechanism(ScramHash.SHA_256, false),
                new ScramMechanism(ScramHash.SHA_1, false),
                new PlainMechanism()));
    }

    /** All registered mechanisms, in preference order. */
    public List<SaslMechanism> all() {
        return mechanisms;
    }

    /** The mechanisms to offer on a stream with this context, in preference order. */
    public List<SaslMechanism> available(SaslContext ctx) {
        return mechanisms.stream().filter(m -> m.isAvailable(ctx)).toList();
    }

    /**
     * The mechanism the client selected, if it is offered on this stream; empty means
     * {@link SaslFailure#INVALID_MECHANISM} (RFC 6120 §6.5.7). Names are compared exactly
     * (RFC 4422 §3.1: mechanism names are upper case).
     */
    public Optional<SaslMechanism> find(String name, SaslContext ctx) {
        return mechanisms.stream().filter(m -> m.name().equals(name) && m.isAvailable(ctx)).findFirst();
    }
}
