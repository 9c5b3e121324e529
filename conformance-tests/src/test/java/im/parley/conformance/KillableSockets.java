package im.parley.conformance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Hands Smack plain sockets and remembers the last one, so a test can cut the TCP connection
 * the way a phone losing its network does: a reset, no closing stream element.
 */
public final class KillableSockets extends SocketFactory {
    private volatile Socket last;

    /** Resets the last socket handed out (SO_LINGER 0: RST, not FIN). */
    public void killLast() throws IOException {
        Socket socket = last;
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public Socket createSocket() {
        last = new Socket();
        return last;
    }

    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("Smack creates unconnected sockets");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("Smack creates unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException("Smack creates unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException("Smack creates unconnected sockets");
    }
}
