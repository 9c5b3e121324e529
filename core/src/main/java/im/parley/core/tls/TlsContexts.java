package im.parley.core.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
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
    /** The in-memory key store that carries key material to OpenSSL never leaves this class. */
    private static final char[] KEY_STORE_PASSWORD = "parley".toCharArray();

    private TlsContexts() {
    }

    /** A server context presenting {@code keyMaterial}'s chain; clients are not asked for a certificate. */
    public static SslContext server(KeyMaterial keyMaterial) throws SSLException {
        return server(keyMaterial, TlsProvider.JDK);
    }

    /** A server context on {@code provider} presenting {@code keyMaterial}'s chain; no client certificate. */
    public static SslContext server(KeyMaterial keyMaterial, TlsProvider provider) throws SSLException {
        SslProvider netty = provider.netty();
        SslContextBuilder builder = netty == SslProvider.JDK
                ? serverBuilder(keyMaterial)
                : SslContextBuilder.forServer(cachedForOpenSsl(keyMaterial)).protocols(PROTOCOLS);
        return builder.sslProvider(netty).clientAuth(ClientAuth.NONE).build();
    }

    /**
     * Key material BoringSSL converts once. Given a key and chain, Netty's OpenSSL contexts
     * re-encode both into native objects on every handshake, because a key manager's answer
     * may change; a domain's key material changes only when the server restarts, so the
     * converted form is cached.
     */
    private static KeyManagerFactory cachedForOpenSsl(KeyMaterial keyMaterial) throws SSLException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", keyMaterial.privateKey(), KEY_STORE_PASSWORD,
                    keyMaterial.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, KEY_STORE_PASSWORD);
            return new OpenSslCachingX509KeyManagerFactory(factory);
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("cannot prepare the key material for OpenSSL: " + e.getMessage(), e);
        }
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
        return SslContextBuilder.forServer(keyMaterial.privateKey(), keyMaterial.chain())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS);
    }
}
