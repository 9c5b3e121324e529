package im.parley.core.sasl;

/**
 * PLAIN (RFC 4616): the password travels in the clear inside TLS and is checked against the
 * stored SCRAM credential, so Parley never stores passwords. Offered only over TLS (RFC 6120
 * §6.4.2, §13.8).
 */
public final class PlainMechanism implements SaslMechanism {

    public static final String NAME = "PLAIN";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAvailable(SaslContext ctx) {
        return ctx.tlsActive();
    }

    @Override
    public SaslServer start(SaslContext ctx) {
        return new PlainServer(ctx);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
