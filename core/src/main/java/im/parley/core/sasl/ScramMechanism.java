package im.parley.core.sasl;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The SCRAM family (RFC 5802; SCRAM-SHA-256 RFC 7677; SCRAM-SHA-512 by the same construction),
 * with or without channel binding ({@code -PLUS}, RFC 5802 §6) over {@code tls-exporter}
 * (RFC 9266) or {@code tls-server-end-point} (RFC 5929).
 */
public final class ScramMechanism implements SaslMechanism {

    /** 18 random bytes: 144 bits of entropy, 24 base64 characters, all {@code printable}. */
    private static final int SERVER_NONCE_BYTES = 18;

    private final ScramHash hash;
    private final boolean plus;
    private final Supplier<String> serverNonces;

    public ScramMechanism(ScramHash hash, boolean plus) {
        this(hash, plus, randomNonces());
    }

    /** With a given source of server nonces, so that tests can replay RFC test vectors. */
    ScramMechanism(ScramHash hash, boolean plus, Supplier<String> serverNonces) {
        this.hash = Objects.requireNonNull(hash, "hash");
        this.plus = plus;
        this.serverNonces = Objects.requireNonNull(serverNonces, "serverNonces");
    }

    @Override
    public String name() {
        return plus ? hash.plusMechanismName() : hash.mechanismName();
    }

    @Override
    public boolean isAvailable(SaslContext ctx) {
        return !plus || ChannelBindingTypes.offered(ctx);
    }

    @Override
    public SaslServer start(SaslContext ctx) {
        return new ScramServer(hash, plus, ctx, serverNonces.get());
    }

    @Override
    public String toString() {
        return name();
    }

    private static Supplier<String> randomNonces() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] nonce = new byte[SERVER_NONCE_BYTES];
            random.nextBytes(nonce);
            return Base64.getEncoder().encodeToString(nonce);
        };
    }
}
