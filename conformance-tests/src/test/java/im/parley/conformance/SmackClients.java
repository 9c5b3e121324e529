package im.parley.conformance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Smack 4.4 configurations for the server under test: domain {@value ParleyServerExtension#DOMAIN}
 * served on 127.0.0.1 (no DNS), trusting exactly the server's certificate.
 */
public final class SmackClients {

    private SmackClients() {
    }

    /** STARTTLS on the c2s port, TLS required (RFC 6120 §5). {@code resource} may be null. */
    public static XMPPTCPConnectionConfiguration startTls(ParleyServerExtension parley, EntityBareJid account,
                                                          String password, String resource) {
        return base(parley, account, password, resource)
                .setPort(parley.c2sPort())
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(PinnedTrust.trustManager(parley.certificate()))
                .build();
    }

    /** STARTTLS, offering the server only the given SASL mechanism. */
    public static XMPPTCPConnectionConfiguration startTlsWithMechanism(ParleyServerExtension parley,
                                                                       EntityBareJid account, String mechanism) {
        return base(parley, account, ParleyServerExtension.PASSWORD, null)
                .setPort(parley.c2sPort())
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(PinnedTrust.trustManager(parley.certificate()))
                .addEnabledSaslMechanism(mechanism)
                .build();
    }

    private static XMPPTCPConnectionConfiguration.Builder base(ParleyServerExtension parley, EntityBareJid account,
                                                               String password, String resource) {
        try {
            XMPPTCPConnectionConfiguration.Builder builder = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(ParleyServerExtension.DOMAIN)
                    // An address, not a name: Smack would otherwise resolve the host through DNS.
                    .setHostAddress(InetAddress.getByName("127.0.0.1"))
                    .setUsernameAndPassword(account.getLocalpart().toString(), password)
                    .setConnectTimeout(5_000)
                    .setCompressionEnabled(false);
            if (resource != null) {
                builder.setResource(resource);
            }
            return builder;
        } catch (UnknownHostException | XmppStringprepException e) {
            throw new IllegalStateException(e);
        }
    }
}
