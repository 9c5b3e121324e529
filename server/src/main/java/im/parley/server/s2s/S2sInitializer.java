package im.parley.server.s2s;

import im.parley.core.files.SecretFile;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.tls.CertificateDomainMatcher;
import im.parley.core.tls.KeyMaterial;
import im.parley.s2s.RemotePolicy;
import im.parley.s2s.S2sRouter;
import im.parley.s2s.S2sSettings;
import im.parley.s2s.dialback.DialbackKeys;
import im.parley.s2s.dialback.DialbackSecret;
import im.parley.s2s.dns.S2sTarget;
import im.parley.s2s.tls.PeerCertificateVerifier;
import im.parley.server.cluster.ClusterSecrets;
import im.parley.server.config.FederationConfig;
import im.parley.server.config.ParleyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLException;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the configuration into the settings of the s2s module (which cannot see the server's
 * config classes): parsed routes and policies, the dialback secret (when not configured: the
 * cluster's, or generated once into the data directory), trust anchors and limits; and the
 * component hosts that federate beside the hosted domains.
 */
public final class S2sInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(S2sInitializer.class);

    /** File in the data directory holding the generated dialback secret. */
    public static final String DIALBACK_SECRET_FILE = "dialback.secret";

    private S2sInitializer() {
    }

    /**
     * @param cluster the secrets of the cluster this server is a node of, or null without a cluster
     */
    public static S2sSettings settings(ParleyConfig config, Set<DomainBareJid> domains,
                                       Map<DomainBareJid, KeyMaterial> keys, ClusterSecrets cluster)
            throws IOException {
        FederationConfig federation = config.federation();
        byte[] secret = dialbackSecret(federation, config.dataDir(), cluster);
        Map<DomainBareJid, S2sTarget> routes = new LinkedHashMap<>();
        for (Map.Entry<String, String> route : federation.staticRoutes().entrySet()) {
            routes.put(domain(route.getKey()), S2sTarget.parse(route.getValue()));
        }
        Map<DomainBareJid, RemotePolicy> policies = new LinkedHashMap<>();
        for (Map.Entry<String, String> policy : federation.policies().entrySet()) {
            policies.put(domain(policy.getKey()), FederationConfig.REQUIRE_CERTIFICATE.equals(policy.getValue())
                    ? RemotePolicy.REQUIRE_CERTIFICATE : RemotePolicy.ALLOW_DIALBACK);
        }
        return new S2sSettings(domains, keys, PeerCertificateVerifier.withSystemAnchors(federation.trustedCaFile()),
                new DialbackKeys(secret), routes, federation.requireEncryption(),
                federation.requireValidCertificates(), policies, federation.idleTimeout(), federation.connectTimeout(),
                config.limits().negotiationTimeout(),
                config.limits().xml(config.limits().maxStanzaSizeBeforeAuth()),
                config.limits().maxStanzaSize(), config.limits().input().s2sRead());
    }

    /**
     * The secret behind the dialback keys (XEP-0185 §3): {@code federation.dialback_secret} when
     * set, which XEP-0185 §2 prefers as it needs no communication between the nodes of a
     * cluster; else, in a cluster, the one its nodes share in their database (the first node that
     * needs it generates it), so that any node confirms the keys any other one handed out when
     * the remote server's verification (XEP-0220 §2.1.2) reaches it; else one generated once into
     * {@code <data_dir>/dialback.secret} (0600).
     *
     * @param cluster the cluster's secrets, or null without a cluster
     */
    public static byte[] dialbackSecret(FederationConfig federation, Path dataDir, ClusterSecrets cluster)
            throws IOException {
        if (federation.dialbackSecret() != null) {
            return federation.dialbackSecret().getBytes(StandardCharsets.UTF_8);
        }
        if (cluster != null) {
            return cluster.shared(ClusterSecrets.DIALBACK, SecretFile::random).getBytes(StandardCharsets.US_ASCII);
        }
        return DialbackSecret.loadOrCreate(dataDir.resolve(DIALBACK_SECRET_FILE));
    }

    /**
     * Makes every component host (the group chat service {@code conference.<domain>}, upload, …)
     * an s2s endpoint of its own, so users of other servers reach it and it reaches them
     * (XEP-0220 §2: each domain pair is authenticated by itself). It presents the certificate
     * chosen for it ({@link im.parley.server.tls.ServerCertificates}): its own, one that names it,
     * or else the one of the hosted domain it belongs to (RFC 6120 §13.7.1.2; the generated one
     * names the subdomains, {@code *.<domain>}). When that one does not name it, peers
     * authenticate the service by dialback, and the log says so once per hosted domain.
     *
     * @param owners each component host with the hosted domain it belongs to
     * @param keys the key material each component host presents
     */
    public static void serveComponentHosts(S2sRouter s2s, Map<DomainBareJid, DomainBareJid> owners,
                                           Map<DomainBareJid, KeyMaterial> keys) throws SSLException {
        Map<DomainBareJid, List<DomainBareJid>> unnamed = new TreeMap<>();
        for (Map.Entry<DomainBareJid, DomainBareJid> service : owners.entrySet()) {
            KeyMaterial key = keys.get(service.getKey());
            if (!names(key, service.getKey())) {
                unnamed.computeIfAbsent(service.getValue(), domain -> new ArrayList<>()).add(service.getKey());
            }
            s2s.serve(service.getKey(), key);
        }
        unnamed.forEach((domain, services) -> LOG.warn("The certificate of {} does not name {}: other servers "
                + "authenticate them by dialback, or refuse them where they require valid certificates; add them "
                + "(or *.{}) to the certificate, or give them certificates of their own (tls.certificates, "
                + "tls.certificates_dir)", domain, services, domain));
    }

    private static boolean names(KeyMaterial key, DomainBareJid service) {
        try {
            return CertificateDomainMatcher.covers(key.leaf(), service.toString());
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static DomainBareJid domain(String name) throws IOException {
        try {
            return Jids.parseDomain(name);
        } catch (JidMalformedException e) {
            throw new IOException("not a domain: " + name, e);
        }
    }
}
