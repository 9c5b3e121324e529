package im.parley.sdk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Gives Smack's TCP connection sockets that speak TLS from the first byte (XEP-0368) and that
 * complete the TLS handshake inside {@code connect}, bounded by the connect timeout (see
 * {@link DirectTlsSocket} for why). The TLS server name is the XMPP domain, not the host
 * connected to, so a server hosting several domains presents the right certificate (XEP-0368 §3,
 * RFC 6066 §3).
 */
final class DirectTlsSocketFactory extends SocketFactory {
    private final SSLSocketFactory tls;
    private final String domain;

    DirectTlsSocketFactory(SSLSocketFactory tls, String domain) {
        this.tls = tls;
        this.domain = domain;
    }

    @Override
    public Socket createSocket() {
        return new DirectTlsSocket(tls, domain);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket socket = createSocket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
