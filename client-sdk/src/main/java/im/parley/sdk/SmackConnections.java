package im.parley.sdk;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.parts.Resourcepart;

/** Builds the Smack connection for a {@link Transport}; the only class that knows Smack's configuration API. */
final class SmackConnections {

    /**
     * SCRAM-PLUS needs the TLS session for channel binding (RFC 5802 §6), which Smack only has
     * when it negotiated STARTTLS itself; on direct TLS and BOSH it would fail, so only the
     * mechanisms without channel binding are enabled there.
     */
    private static final List<String> MECHANISMS_WITHOUT_CHANNEL_BINDING = List.of("SCRAM-SHA-1", "PLAIN");

    private SmackConnections() {
    }

    static AbstractXMPPConnection create(EntityBareJid jid, String password, Resourcepart resource,
                                         Transport transport, Trust trust, TrustFailures failures,
                                         Duration connectTimeout)
            throws UnknownHostException {
        String domain = jid.getDomain().toString();
        X509TrustManager trustManager = trust.managerFor(domain, failures);
        SSLContext tls = tlsContext(trustManager);
        return switch (transport.kind()) {
            case STARTTLS -> {
                XMPPTCPConnectionConfiguration.Builder builder = XMPPTCPConnectionConfiguration.builder();
                common(builder, jid, password, resource, trustManager);
                builder.setConnectTimeout(millis(connectTimeout));
                builder.setHostAddress(InetAddress.getByName(transport.host())).setPort(transport.port())
                        .setSecurityMode(SecurityMode.required);
                yield new XMPPTCPConnection(builder.build());
            }
            case DIRECT_TLS -> {
                XMPPTCPConnectionConfiguration.Builder builder = XMPPTCPConnectionConfiguration.builder();
                common(builder, jid, password, resource, trustManager);
                builder.setConnectTimeout(millis(connectTimeout));
                builder.setHostAddress(InetAddress.getByName(transport.host())).setPort(transport.port())
                        .setSocketFactory(new DirectTlsSocketFactory(tls.getSocketFactory(), domain))
                        // TLS is already up below the stream; there is nothing to STARTTLS.
                        .setSecurityMode(SecurityMode.disabled)
                        .addEnabledSaslMechanism(MECHANISMS_WITHOUT_CHANNEL_BINDING);
                yield new XMPPTCPConnection(builder.build());
            }
            case BOSH -> {
                BoshConfiguration.Builder builder = BoshConfiguration.builder();
                common(builder, jid, password, resource, trustManager);
                // Any TLS is HTTP's, below XMPP: there is nothing to STARTTLS.
                builder.setUrl(transport.url()).setTls(tls)
                        .setSecurityMode(SecurityMode.disabled)
                        .addEnabledSaslMechanism(MECHANISMS_WITHOUT_CHANNEL_BINDING);
                yield new BoshConnection(builder.build(), BoshSession.Timings.defaults());
            }
        };
    }

    private static void common(ConnectionConfiguration.Builder<?, ?> builder, EntityBareJid jid, String password,
                               Resourcepart resource, X509TrustManager trustManager) {
        builder.setXmppDomain(jid.asDomainBareJid())
                .setUsernameAndPassword(jid.getLocalpart().toString(), password)
                .setCustomX509TrustManager(trustManager)
                // ServerCertificateCheck already checked the certificate names the domain.
                .setHostnameVerifier((hostname, session) -> true)
                // The client sends the initial presence itself and waits for the server to process it.
                .setSendPresence(false);
        if (resource != null) {
            builder.setResource(resource);
        }
    }

    /** Smack's connect timeout (TCP, and for direct TLS the handshake too) in milliseconds. */
    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private static SSLContext tlsContext(TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot create a TLS context: " + e.getMessage(), e);
        }
    }
}
