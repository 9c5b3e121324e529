package im.parley.core.sasl;

/** A server-side SASL mechanism (RFC 4422 §5): a factory of exchanges. */
public interface SaslMechanism {

    /** The registered mechanism name, e.g. {@code SCRAM-SHA-256-PLUS} (RFC 4422 §3.1). */
    String name();

    /** Whether the mechanism may be offered on a stream with this context. */
    boolean isAvailable(SaslContext ctx);

    /** Starts one authentication exchange. */
    SaslServer start(SaslContext ctx);
}
