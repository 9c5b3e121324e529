package im.parley.server.tls;

import im.parley.core.tls.CertificateDomainMatcher;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.TlsContexts;
import im.parley.core.tls.TlsProvider;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.jxmpp.jid.DomainBareJid;

/**
 * The server's TLS contexts for client connections, one per host: each hosted domain and each
 * service domain ({@code conference.}, {@code upload.}, …) presents its own certificate (RFC 6120
 * §13.7.1). STARTTLS picks by the stream header's {@code to}; direct TLS (XEP-0368) and HTTPS
 * pick by SNI (RFC 6066 §3), for a name that is no host by the certificates' subjectAltNames.
 *
 * <p>The contexts can be replaced while the server runs ({@link #replace}, a certificate
 * reload): a connection takes the context of the moment its handshake starts, so connections
 * made before keep the certificate they were given.
 */
public final class ServerTls implements Mapping<String, SslContext> {

    /** What connections see now; replaced whole, never changed. */
    private record Snapshot(Map<String, SslContext> contexts, Map<String, X509Certificate> certificates,
                            SslContext fallback) {
    }

    private final String defaultDomain;
    private final TlsProvider provider;
    private volatile Snapshot snapshot;
    /** The context built for each chain, guarded by {@code this}. */
    private Map<List<X509Certificate>, SslContext> chains = Map.of();

    public ServerTls(Map<DomainBareJid, SslContext> contexts, Map<DomainBareJid, X509Certificate> certificates,
                     DomainBareJid defaultDomain) {
        this(contexts, certificates, defaultDomain, TlsProvider.JDK);
    }

    private ServerTls(Map<DomainBareJid, SslContext> contexts, Map<DomainBareJid, X509Certificate> certificates,
                      DomainBareJid defaultDomain, TlsProvider provider) {
        this.defaultDomain = key(defaultDomain);
        this.provider = provider;
        this.snapshot = snapshot(byName(contexts), byName(certificates));
    }

    /** One context per host on {@code provider}; {@code defaultDomain}'s answers names no host covers. */
    public static ServerTls of(Map<DomainBareJid, KeyMaterial> keys, DomainBareJid defaultDomain, TlsProvider provider)
            throws SSLException {
        ServerTls tls = new ServerTls(Map.of(), Map.of(), defaultDomain, provider);
        tls.replace(keys);
        return tls;
    }

    /**
     * Makes each host of {@code keys} present its new key material from the next handshake on;
     * the other hosts keep theirs. Either every context is built and swapped in, or none.
     *
     * @throws SSLException if a context cannot be built from one of the keys
     */
    public synchronized void replace(Map<DomainBareJid, KeyMaterial> keys) throws SSLException {
        Snapshot current = snapshot;
        Map<String, SslContext> contexts = new LinkedHashMap<>(current.contexts());
        Map<String, X509Certificate> certificates = new LinkedHashMap<>(current.certificates());
        // Hosts with the same chain (a domain and its services under one certificate) share one
        // context: each costs a key store and, with OpenSSL, native memory.
        Map<List<X509Certificate>, SslContext> built = new HashMap<>(chains);
        for (Map.Entry<DomainBareJid, KeyMaterial> entry : keys.entrySet()) {
            KeyMaterial key = entry.getValue();
            SslContext context = built.get(key.chain());
            if (context == null) {
                context = TlsContexts.server(key, provider);
                built.put(key.chain(), context);
            }
            contexts.put(key(entry.getKey()), context);
            certificates.put(key(entry.getKey()), key.leaf());
        }
        // Forget contexts no host presents any more (replaced by a reload).
        built.values().retainAll(contexts.values());
        chains = built;
        snapshot = snapshot(contexts, certificates);
    }

    /** The context for a host. */
    public Optional<SslContext> forDomain(DomainBareJid domain) {
        return Optional.ofNullable(snapshot.contexts().get(key(domain)));
    }

    /** The leaf certificate a host presents now. */
    public Optional<X509Certificate> certificate(DomainBareJid domain) {
        return Optional.ofNullable(snapshot.certificates().get(key(domain)));
    }

    /** The TLS implementation behind the contexts, for the start-up banner: {@code OpenSSL (BoringSSL …)} or {@code JDK}. */
    public String providerName() {
        return snapshot.fallback() instanceof ReferenceCountedOpenSslContext
                ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /**
     * SNI (RFC 6066 §3): the named host's context; for another name (the machine's own,
     * {@code xmpp.example.org}) the first host whose certificate covers it (RFC 6125 §6.4); else the
     * default domain's. Runs on the event loop, once per handshake: a map lookup for hosts.
     */
    @Override
    public SslContext map(String serverName) {
        Snapshot current = snapshot;
        if (serverName == null) {
            return current.fallback();
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        SslContext exact = current.contexts().get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, X509Certificate> entry : current.certificates().entrySet()) {
            if (covers(entry.getValue(), name)) {
                return current.contexts().get(entry.getKey());
            }
        }
        return current.fallback();
    }

    private Snapshot snapshot(Map<String, SslContext> contexts, Map<String, X509Certificate> certificates) {
        return new Snapshot(Map.copyOf(contexts), Collections.unmodifiableMap(certificates),
                contexts.get(defaultDomain));
    }

    private static boolean covers(X509Certificate certificate, String name) {
        try {
            return CertificateDomainMatcher.covers(certificate, name);
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static <V> Map<String, V> byName(Map<DomainBareJid, V> byDomain) {
        Map<String, V> byName = new LinkedHashMap<>();
        byDomain.forEach((domain, value) -> byName.put(key(domain), value));
        return byName;
    }

    private static String key(DomainBareJid domain) {
        return domain.toString().toLowerCase(Locale.ROOT);
    }
}
