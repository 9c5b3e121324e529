package im.parley.core.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Netty TLS contexts for XMPP streams (RFC 6120 §5, XEP-0368 direct TLS), on BouncyCastle's
 * JSSE provider (BCJSSE) because the JDK's JSSE in Java 17 has no RFC 5705 keying-material
 * exporter API at all, which {@code tls-exporter} channel binding (RFC 9266) needs; see
 * {@link TlsChannelBindings} for what BCJSSE delivers today.
 *
 * <p>The provider instance is passed to Netty, never registered with
 * {@code Security.addProvider}: BCJSSE does its cryptography through the JDK's JCA providers
 * (which use the CPU's AES instructions), so nothing global changes. Only TLS 1.3 and TLS 1.2
 * are enabled: RFC 8996 deprecates TLS 1.0 and 1.1.
 */
public final class TlsContexts {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** One shared provider: it is immutable after construction and thread-safe. */
    private static final BouncyCastleJsseProvider JSSE = new BouncyCastleJsseProvider();

    /**
     * Given to every context explicitly: without one, BCJSSE asks the JCA for a SecureRandom
     * named "DEFAULT", which only the BouncyCastle JCA provider offers, and that would force a
     * global {@code Security.addProvider}.
     */
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The in-memory key store never leaves this class; a password would protect nothing. */
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {
    }

    /** A server context presenting {@code keyMaterial}'s chain; clients are not asked for a certificate. */
    public static SslContext server(KeyMaterial keyMaterial) throws SSLException {
        return serverBuilder(keyMaterial).clientAuth(ClientAuth.NONE).build();
    }

    /**
     * A server context that asks for, but does not require, a client certificate checked against
     * {@code trust}: the shape SASL EXTERNAL between servers needs (RFC 6120 §13.8,
     * XEP-0178 §3).
     */
    public static SslContext serverWithOptionalClientAuth(KeyMaterial keyMaterial, TrustManagerFactory trust)
            throws SSLException {
        return serverBuilder(keyMaterial).trustManager(trust).clientAuth(ClientAuth.OPTIONAL).build();
    }

    /**
     * A client context trusting the anchors of {@code trust}. Netty checks the server's name
     * when the handler is made with {@code newHandler(alloc, host, port)}.
     */
    public static SslContext client(TrustManagerFactory trust) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .sslContextProvider(JSSE)
                .secureRandom(RANDOM)
                .protocols(PROTOCOLS)
                .trustManager(trust)
                .build();
    }

    /**
     * BCJSSE's own key manager: it selects credentials by TLS 1.3 signature scheme, which a JDK
     * SunX509 key manager wrapped by BCJSSE does not do for EC keys.
     */
    private static KeyManagerFactory keyManagers(KeyMaterial keyMaterial) throws SSLException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keyMaterial.privateKey(), NO_PASSWORD,
                    keyMaterial.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX", JSSE);
            factory.init(store, NO_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("cannot use the key and certificate chain of " + keyMaterial.leaf().getSubjectX500Principal(), e);
        }
    }

    private static SslContextBuilder serverBuilder(KeyMaterial keyMaterial) throws SSLException {
        return SslContextBuilder.forServer(keyManagers(keyMaterial))
                .sslProvider(SslProvider.JDK)
                .sslContextProvider(JSSE)
                .secureRandom(RANDOM)
                .protocols(PROTOCOLS);
    }
}
