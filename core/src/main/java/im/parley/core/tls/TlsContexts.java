package im.parley.core.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Netty TLS contexts for XMPP streams (RFC 6120 §5, XEP-0368 direct TLS), on the JDK's own JSSE
 * unless a {@link TlsProvider} says otherwise. Only TLS 1.3 and TLS 1.2 are enabled: RFC 8996
 * deprecates TLS 1.0 and 1.1. The {@code tls-exporter} channel binding needs the RFC 5705
 * exporter that JSSE has from Java 25 on; see {@link TlsChannelBindings}.
 */
public final class TlsContexts {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /** A server context presenting {@code keyMaterial}'s chain; clients are not asked for a certificate. */
    public static SslContext server(KeyMaterial keyMaterial) throws SSLException {
        return server(keyMaterial, TlsProvider.JDK);
    }

    /** A server context on {@code provider} presenting {@code keyMaterial}'s chain; no client certificate. */
    public static SslContext server(KeyMaterial keyMaterial, TlsProvider provider) throws SSLException {
        return serverBuilder(keyMaterial).sslProvider(provider.netty()).clientAuth(ClientAuth.NONE).build();
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
                .protocols(PROTOCOLS)
                .trustManager(trust)
                .build();
    }

    private static SslContextBuilder serverBuilder(KeyMaterial keyMaterial) {
        // Netty hands the key to the TLS engine through an in-memory key store that is never
        // written anywhere. The JDK's default type (PKCS12) wraps the key with PBKDF2 at 10,000
        // iterations for that, a few hundred ms of a cold start spent on nothing (issue 19).
        return SslContextBuilder.forServer(keyMaterial.privateKey(), keyMaterial.chain())
                .keyStoreType("JKS")
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS);
    }
}
