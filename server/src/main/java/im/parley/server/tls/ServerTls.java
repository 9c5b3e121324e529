package im.parley.server.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;

/**
 * The server's TLS contexts, one per hosted domain (each domain presents its own certificate,
 * RFC 6120 §13.7.1). STARTTLS picks by the stream header's {@code to}; direct TLS (XEP-0368)
 * picks by SNI.
 */
public final class ServerTls implements Mapping<String, SslContext> {

    private final Map<DomainBareJid, SslContext> contexts;
    private final Map<DomainBareJid, X509Certificate> certificates;
    private final SslContext fallback;

    public ServerTls(Map<DomainBareJid, SslContext> contexts, Map<DomainBareJid, X509Certificate> certificates,
                     DomainBareJid defaultDomain) {
        this.contexts = Map.copyOf(contexts);
        this.certificates = Map.copyOf(certificates);
        this.fallback = contexts.get(defaultDomain);
    }

    /** The context for a hosted domain. */
    public Optional<SslContext> forDomain(DomainBareJid domain) {
        return Optional.ofNullable(contexts.get(domain));
    }

    /** The leaf certificate a domain presents. */
    public Optional<X509Certificate> certificate(DomainBareJid domain) {
        return Optional.ofNullable(certificates.get(domain));
    }

    /** The TLS implementation behind the contexts, for the start-up banner: {@code OpenSSL (BoringSSL …)} or {@code JDK}. */
    public String providerName() {
        return fallback instanceof ReferenceCountedOpenSslContext ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /** SNI mapping for direct TLS: the named domain's context, else the default domain's. */
    @Override
    public SslContext map(String serverName) {
        if (serverName != null) {
            for (Map.Entry<DomainBareJid, SslContext> entry : contexts.entrySet()) {
                if (entry.getKey().toString().equalsIgnoreCase(serverName)) {
                    return entry.getValue();
                }
            }
        }
        return fallback;
    }
}
