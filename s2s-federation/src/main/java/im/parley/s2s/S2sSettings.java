package im.parley.s2s;

import im.parley.core.net.ByteRate;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.xml.XmlLimits;
import im.parley.s2s.dialback.DialbackKeys;
import im.parley.s2s.dns.S2sTarget;
import im.parley.s2s.tls.PeerCertificateVerifier;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;

/**
 * Everything server-to-server streams share, built once by the server's assembly.
 *
 * @param localDomains the hosted domains (all share the s2s listeners, each authenticated separately)
 * @param keys the key and certificate chain each hosted domain presents
 * @param certificates how peer certificates are validated (PKIX anchors and RFC 6125 identity)
 * @param dialbackKeys the per-server secret behind dialback keys (XEP-0185)
 * @param staticRoutes remote domain → host and port, consulted before DNS
 * @param requireEncryption TLS is mandatory-to-negotiate on inbound streams and required on outbound ones
 * @param requireValidCertificates the policy for remote domains not named in {@code policies}:
 *     true is {@link RemotePolicy#REQUIRE_CERTIFICATE}
 * @param policies per remote domain policy
 * @param idleTimeout an s2s stream without traffic for this long is closed (and reopened on demand)
 * @param connectTimeout how long an outbound stream may take from DNS lookup to authentication
 * @param negotiationTimeout how long an inbound stream may stay without an authenticated domain
 * @param limitsBeforeAuth XML limits until a domain is authenticated on a stream
 * @param maxStanzaBytes the largest stanza accepted once a domain is authenticated
 * @param readRate how fast each s2s connection, inbound or outbound, is read
 */
public record S2sSettings(Set<DomainBareJid> localDomains, Map<DomainBareJid, KeyMaterial> keys,
                          PeerCertificateVerifier certificates, DialbackKeys dialbackKeys,
                          Map<DomainBareJid, S2sTarget> staticRoutes, boolean requireEncryption,
                          boolean requireValidCertificates, Map<DomainBareJid, RemotePolicy> policies,
                          Duration idleTimeout, Duration connectTimeout, Duration negotiationTimeout,
                          XmlLimits limitsBeforeAuth, int maxStanzaBytes, ByteRate readRate) {

    public S2sSettings {
        localDomains = Set.copyOf(localDomains);
        keys = Map.copyOf(keys);
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(dialbackKeys, "dialbackKeys");
        staticRoutes = Map.copyOf(staticRoutes);
        policies = Map.copyOf(policies);
        Objects.requireNonNull(readRate, "readRate");
        for (DomainBareJid domain : localDomains) {
            if (!keys.containsKey(domain)) {
                throw new IllegalArgumentException("no key material for hosted domain " + domain);
            }
        }
    }

    public boolean isLocal(DomainBareJid domain) {
        return localDomains.contains(domain);
    }

    /** The policy for a remote domain: its own entry, else the server-wide default. */
    public RemotePolicy policyFor(DomainBareJid remote) {
        RemotePolicy policy = policies.get(remote);
        if (policy != null) {
            return policy;
        }
        return requireValidCertificates ? RemotePolicy.REQUIRE_CERTIFICATE : RemotePolicy.ALLOW_DIALBACK;
    }
}
