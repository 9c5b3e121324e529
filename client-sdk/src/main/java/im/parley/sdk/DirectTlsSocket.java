package im.parley.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A socket that speaks TLS from the first byte (XEP-0368) and whose {@link #connect} returns only
 * once the TLS handshake is complete, within the connect timeout.
 *
 * <p>Why not hand Smack an unconnected {@link SSLSocket}: that socket shakes hands lazily, on the
 * first read or write of Smack's reader and writer threads, after Smack already counts the
 * connection as connected. A front end that accepts and closes at once (a proxy in front of a
 * server that is down) then fails the handshake on those threads, where Smack may drop the error
 * ("already disconnected") and leave {@code connect()} waiting its whole reply timeout. Here a
 * refused or stalled handshake fails {@code connect} itself, at once or at the connect timeout,
 * before any thread starts.
 *
 * <p>Until connected, the socket is a plain TCP socket (bind, options); after, every call goes to
 * the TLS socket layered on it, whose server name is the XMPP domain (XEP-0368 §3, RFC 6066 §3).
 */
final class DirectTlsSocket extends Socket {
    private final SSLSocketFactory tls;
    private final String domain;
    private final Socket plain = new Socket();
    private volatile SSLSocket secured;

    DirectTlsSocket(SSLSocketFactory tls, String domain) {
        this.tls = tls;
        this.domain = domain;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /** Connects over TCP, then completes the TLS handshake; {@code timeout} (ms, 0 for none) bounds both together. */
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        long deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000L : 0;
        plain.connect(endpoint, timeout);
        try {
            int port = endpoint instanceof InetSocketAddress address ? address.getPort() : plain.getPort();
            SSLSocket ssl = (SSLSocket) tls.createSocket(plain, domain, port, true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(domain)));
            ssl.setSSLParameters(parameters);
            int previousTimeout = plain.getSoTimeout();
            if (deadline != 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("TLS handshake with " + endpoint + ": connect timeout used up");
                }
                ssl.setSoTimeout((int) left);
            }
            ssl.startHandshake();
            ssl.setSoTimeout(previousTimeout);
            secured = ssl;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private Socket current() {
        SSLSocket ssl = secured;
        return ssl != null ? ssl : plain;
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        plain.bind(bindpoint);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return connected().getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return connected().getOutputStream();
    }

    private SSLSocket connected() throws SocketException {
        SSLSocket ssl = secured;
        if (ssl == null) {
            throw new SocketException(plain.isClosed() ? "Socket is closed" : "Socket is not connected");
        }
        return ssl;
    }

    @Override
    public synchronized void close() throws IOException {
        SSLSocket ssl = secured;
        try {
            if (ssl != null) {
                ssl.close();
            }
        } finally {
            plain.close();
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        current().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        current().shutdownOutput();
    }

    @Override
    public InetAddress getInetAddress() {
        return plain.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return plain.getLocalAddress();
    }

    @Override
    public int getPort() {
        return plain.getPort();
    }

    @Override
    public int getLocalPort() {
        return plain.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return plain.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return plain.getLocalSocketAddress();
    }

    /** None: the bytes on the channel would be TLS records, not the stream. */
    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        current().setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return current().getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        current().setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return current().getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        current().sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        current().setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return current().getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        current().setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return current().getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        current().setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return current().getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        current().setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return current().getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        current().setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return current().getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        current().setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return current().getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        plain.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return plain.getReuseAddress();
    }

    @Override
    public boolean isConnected() {
        return secured != null && current().isConnected();
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public boolean isClosed() {
        return current().isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return current().isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return current().isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        plain.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        plain.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return plain.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return plain.supportedOptions();
    }

    @Override
    public String toString() {
        return "DirectTlsSocket[" + domain + ", " + current() + "]";
    }
}
