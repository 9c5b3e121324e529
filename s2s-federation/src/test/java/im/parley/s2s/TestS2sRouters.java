package im.parley.s2s;

import im.parley.core.net.ByteRate;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.SelfSignedCertificates;
import im.parley.core.xml.XmlLimits;
import im.parley.s2s.dialback.DialbackKeys;
import im.parley.s2s.dns.S2sResolver;
import im.parley.s2s.dns.S2sTarget;
import im.parley.s2s.tls.PeerCertificateVerifier;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * An {@link S2sRouter} for {@code local.example} on a real event loop, for tests that script the
 * other server with {@link ScriptedS2sPeer}: stanzas that federation hands to the local router
 * (received ones and bounces) go to {@code local}. Limits: 4096 bytes before authentication,
 * 65536 after; no read-rate limit.
 */
final class TestS2sRouters {

    static final String LOCAL = "local.example";
    static final String REMOTE = "remote.example";
    static final int MAX_BYTES_BEFORE_AUTH = 4096;
    static final int MAX_BYTES = 65536;

    private TestS2sRouters() {
    }

    /**
     * @param routes remote domain to {@code host:port}
     * @param requireEncryption STARTTLS required both ways; without it the peer may go straight to dialback
     * @param anchors the certificates that validate peers (SASL EXTERNAL is offered to those)
     * @param idleTimeout outbound streams idle out after it, inbound ones after twice as long
     */
    static S2sRouter start(EventLoopGroup group, Map<String, String> routes, boolean requireEncryption,
                           List<X509Certificate> anchors, Duration idleTimeout, StanzaRouter local) throws Exception {
        DomainBareJid localDomain = domain(LOCAL);
        Map<DomainBareJid, KeyMaterial> keys = Map.of(localDomain, SelfSignedCertificates.generate(LOCAL));
        Map<DomainBareJid, S2sTarget> targets = new HashMap<>();
        for (Map.Entry<String, String> route : routes.entrySet()) {
            targets.put(domain(route.getKey()), S2sTarget.parse(route.getValue()));
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        S2sSettings settings = new S2sSettings(Set.of(localDomain), keys, new PeerCertificateVerifier(anchors),
                new DialbackKeys(secret), targets, requireEncryption, false, Map.of(), idleTimeout,
                Duration.ofSeconds(20), Duration.ofSeconds(20), new XmlLimits(MAX_BYTES_BEFORE_AUTH, 16), MAX_BYTES,
                ByteRate.UNLIMITED);
        // Static routes only: DNS is never asked.
        S2sResolver resolver = new S2sResolver(settings.staticRoutes(), name -> List.of(), new SecureRandom());
        S2sRouter router = new S2sRouter(settings, group, NioSocketChannel.class, Runnable::run, resolver);
        router.start(local);
        return router;
    }

    static DomainBareJid domain(String domain) throws XmppStringprepException {
        return JidCreate.domainBareFrom(domain);
    }
}
