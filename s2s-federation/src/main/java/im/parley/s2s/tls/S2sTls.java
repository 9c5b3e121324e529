package im.parley.s2s.tls;

import im.parley.core.tls.KeyMaterial;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.Mapping;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jxmpp.jid.DomainBareJid;

/**
 * TLS contexts for server-to-server streams, one pair per hosted domain and per service domain:
 * the server side asks for a client certificate (RFC 6120 §13.8, XEP-0178 §3) and the client
 * side presents the domain's certificate, so SASL EXTERNAL can work both ways. TLS 1.3 and 1.2 only (RFC 8996).
 *
 * <p>The TLS layer accepts any peer certificate on purpose: the decision is made after the
 * handshake by {@link PeerCertificateVerifier} against the policy for the peer's domain, because
 * a self-signed peer may still authenticate with dialback where the policy allows it.
 */
public final class S2sTls implements Mapping<String, SslContext> {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Map<DomainBareJid, SslContext> servers = new ConcurrentHashMap<>();
    private final Map<DomainBareJid, SslContext> clients = new ConcurrentHashMap<>();
    private final DomainBareJid fallbackDomain;

    /** The contexts of the hosted domains; the first one's server context is the SNI fallback. */
    public S2sTls(Map<DomainBareJid, KeyMaterial> keys) throws SSLException {
        for (Map.Entry<DomainBareJid, KeyMaterial> entry : keys.entrySet()) {
            add(entry.getKey(), entry.getValue());
        }
        this.fallbackDomain = keys.isEmpty() ? null : keys.keySet().iterator().next();
    }

    /**
     * Adds the contexts of {@code domain}, which presents {@code key} (a service domain added after
     * start-up), or replaces them (a certificate reload): streams set up from then on present the
     * new certificate, those set up before keep theirs.
     */
    public void add(DomainBareJid domain, KeyMaterial key) throws SSLException {
        X509Certificate[] chain = key.chain().toArray(new X509Certificate[0]);
        // Both are built before either is swapped in, so a domain never has a server side and
        // a client side with different certificates for long.
        SslContext server = SslContextBuilder.forServer(key.privateKey(), chain)
                .sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).clientAuth(ClientAuth.OPTIONAL).build();
        SslContext client = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                .keyManager(key.privateKey(), chain)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        servers.put(domain, server);
        clients.put(domain, client);
    }

    public Optional<SslContext> server(DomainBareJid local) {
        return Optional.ofNullable(servers.get(local));
    }

    public Optional<SslContext> client(DomainBareJid local) {
        return Optional.ofNullable(clients.get(local));
    }

    /** SNI for direct TLS (XEP-0368): the named hosted or service domain, else the first hosted one. */
    @Override
    public SslContext map(String serverName) {
        if (serverName != null) {
            for (Map.Entry<DomainBareJid, SslContext> entry : servers.entrySet()) {
                if (entry.getKey().toString().equalsIgnoreCase(serverName)) {
                    return entry.getValue();
                }
            }
        }
        return fallbackDomain == null ? null : servers.get(fallbackDomain);
    }

    /** The peer's certificate chain after a completed handshake; empty when it sent none. */
    public static X509Certificate[] peerChain(SslHandler ssl) {
        try {
            Certificate[] certificates = ssl.engine().getSession().getPeerCertificates();
            X509Certificate[] chain = new X509Certificate[certificates.length];
            for (int i = 0; i < certificates.length; i++) {
                chain[i] = (X509Certificate) certificates[i];
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return new X509Certificate[0];
        }
    }
}
