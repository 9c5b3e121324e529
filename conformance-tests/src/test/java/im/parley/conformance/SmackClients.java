package im.parley.conformance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
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

    /**
     * Direct TLS on the XEP-0368 port. Smack 4.4's XMPPTCPConnection has no direct TLS mode, so
     * the socket factory hands it an {@link SSLSocket} that handshakes on first use, and Smack's
     * own TLS negotiation is off (there is no STARTTLS on a direct TLS stream).
     */
    public static XMPPTCPConnectionConfiguration directTls(ParleyServerExtension parley, EntityBareJid account,
                                                           String password) {
        return base(parley, account, password, null)
                .setPort(parley.directTlsPort())
                .setSecurityMode(SecurityMode.disabled)
                .setSocketFactory(new DirectTlsSocketFactory(parley.trustingSslContext().getSocketFactory(),
                        ParleyServerExtension.DOMAIN))
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

    /**
     * Opens TLS sockets that send SNI for the XMPP domain and check the certificate names it
     * (RFC 6125 via JSSE's endpoint identification), as a client connecting by address must.
     */
    static final class DirectTlsSocketFactory extends SocketFactory {
        private final SSLSocketFactory tls;
        private final String domain;

        DirectTlsSocketFactory(SSLSocketFactory tls, String domain) {
            this.tls = tls;
            this.domain = domain;
        }

        @Override
        public Socket createSocket() throws IOException {
            SSLSocket socket = (SSLSocket) tls.createSocket();
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(domain)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new UnsupportedOperationException("Smack creates unconnected sockets");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            throw new UnsupportedOperationException("Smack creates unconnected sockets");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            throw new UnsupportedOperationException("Smack creates unconnected sockets");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            throw new UnsupportedOperationException("Smack creates unconnected sockets");
        }
    }
}
