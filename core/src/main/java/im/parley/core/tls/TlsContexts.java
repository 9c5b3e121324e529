package im.parley.core.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Netty TLS contexts for XMPP streams (RFC 6120 §5, XEP-0368 direct TLS), on BouncyCastle's
 * JSSE provider (BCJSSE) because the JDK's JSSE in Java 17 offers no RFC 5705 keying-material
 * exporter, which {@code tls-exporter} channel binding (RFC 9266) needs.
 *
 * <p>The provider instance is passed to Netty, never registered with
 * {@code Security.addProvider}: BCJSSE does its cryptography through the JDK's JCA providers,
 * so nothing global changes. Only TLS 1.3 and TLS 1.2 are enabled (RFC 8996 deprecates
 * TLS 1.0 and 1.1; RFC 6120 §5.3.1 lets the server pick the version).
 */
public final class TlsContexts {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** One shared provider: it is immutable after construction and thread-safe. */
    private static final BouncyCastleJsseProvider JSSE = new BouncyCastleJsseProvider();

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
                .protocols(PROTOCOLS)
                .trustManager(trust)
                .build();
    }

    private static SslContextBuilder serverBuilder(KeyMaterial keyMaterial) {
        return SslContextBuilder.forServer(keyMaterial.privateKey(), keyMaterial.chain())
                .sslProvider(SslProvider.JDK)
                .sslContextProvider(JSSE)
                .protocols(PROTOCOLS);
    }
}
