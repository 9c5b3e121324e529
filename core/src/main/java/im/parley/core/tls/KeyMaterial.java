package im.parley.core.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain, leaf first and each certificate followed by its
 * issuer (the order of TLS 1.2 {@code Certificate} messages, RFC 5246 §7.4.2, and of
 * Let's Encrypt's {@code fullchain.pem}).
 */
public record KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {

    public KeyMaterial {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf certificate");
        }
    }

    /** The end-entity certificate: the one whose public key pairs with {@link #privateKey()}. */
    public X509Certificate leaf() {
        return chain.get(0);
    }
}
