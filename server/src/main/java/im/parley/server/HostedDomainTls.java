package im.parley.server;

import im.parley.core.tls.DomainCertificates;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.TlsContexts;
import im.parley.core.tls.TlsProvider;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.ParleyConfig;
import im.parley.server.tls.ServerTls;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;

/**
 * The certificate and key of each hosted domain (RFC 6120 §13.7.1.2) and the server TLS
 * contexts built from them. A domain without configured files gets a certificate generated once
 * and kept under {@code <data dir>/certs}.
 */
final class HostedDomainTls {

    private HostedDomainTls() {
    }

    /** The key material of each domain, in the order of {@code domains}. */
    static Map<DomainBareJid, KeyMaterial> loadKeys(ParleyConfig config, Set<DomainBareJid> domains)
            throws IOException {
        DomainCertificates certificates = new DomainCertificates(config.dataDir().resolve("certs"));
        Map<DomainBareJid, KeyMaterial> keys = new LinkedHashMap<>();
        for (DomainBareJid domain : domains) {
            CertificateFiles files = config.tls().certificates().get(domain.toString());
            keys.put(domain, files == null
                    ? certificates.loadOrGenerate(domain.toString())
                    : certificates.load(domain.toString(), files.certificate(), files.privateKey()));
        }
        return keys;
    }

    /** One server TLS context per domain on {@code provider}; the first domain is the default. */
    static ServerTls serverTls(Set<DomainBareJid> domains, Map<DomainBareJid, KeyMaterial> keys,
            TlsProvider provider) throws IOException {
        Map<DomainBareJid, SslContext> contexts = new LinkedHashMap<>();
        Map<DomainBareJid, X509Certificate> leafs = new LinkedHashMap<>();
        for (Map.Entry<DomainBareJid, KeyMaterial> entry : keys.entrySet()) {
            contexts.put(entry.getKey(), TlsContexts.server(entry.getValue(), provider));
            leafs.put(entry.getKey(), entry.getValue().leaf());
        }
        return new ServerTls(contexts, leafs, domains.iterator().next());
    }
}
