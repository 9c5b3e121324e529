package im.parley.sdk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Gives Smack's TCP connection sockets that speak TLS from the first byte (XEP-0368). The TLS
 * server name is the XMPP domain, not the host connected to, so a server hosting several domains
 * presents the right certificate (XEP-0368 §3, RFC 6066 §3).
 */
final class DirectTlsSocketFactory extends SocketFactory {
    private final SSLSocketFactory tls;
    private final String domain;

    DirectTlsSocketFactory(SSLSocketFactory tls, String domain) {
        this.tls = tls;
        this.domain = domain;
    }

    @Override
    public Socket createSocket() throws IOException {
        return withServerName(tls.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new java.net.InetSocketAddress(localHost, localPort));
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new java.net.InetSocketAddress(localAddress, localPort));
        socket.connect(new java.net.InetSocketAddress(address, port));
        return socket;
    }

    private Socket withServerName(Socket socket) {
        SSLSocket ssl = (SSLSocket) socket;
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(domain)));
        ssl.setSSLParameters(parameters);
        return ssl;
    }
}
