package im.parley.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * XEP-0368 direct TLS: the handshake completes inside {@code connect}, so a front end that
 * accepts and closes, or one that never answers, fails the connection attempt itself (at once,
 * or at the connect timeout) instead of failing later on Smack's reader thread.
 */
class DirectTlsSocketTest {
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void aFrontEndThatClosesAtOnceFailsConnectItself() throws Exception {
        ServerSocket frontEnd = listening();
        Thread closer = new Thread(() -> {
            while (!frontEnd.isClosed()) {
                try (Socket accepted = frontEnd.accept()) {
                    // closed at once, as a proxy in front of a server that is down does
                } catch (IOException closedListener) {
                    return;
                }
            }
        });
        closer.setDaemon(true);
        closer.start();

        for (int attempt = 0; attempt < 20; attempt++) {
            Socket socket = factory().createSocket();
            assertThatThrownBy(() -> socket.connect(frontEnd.getLocalSocketAddress(), 60_000))
                    .isInstanceOf(IOException.class);
            assertThat(socket.isConnected()).isFalse();
            assertThat(socket.isClosed()).isTrue();
        }
    }

    @Test
    void aFrontEndThatNeverAnswersFailsConnectAtTheConnectTimeout() throws Exception {
        ServerSocket silent = listening(); // the kernel accepts; nobody ever answers the ClientHello
        Socket socket = factory().createSocket();
        assertThatThrownBy(() -> socket.connect(silent.getLocalSocketAddress(), 300))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(socket.isClosed()).isTrue();
    }

    @Test
    void aSocketIsNotConnectedBeforeItsHandshakeAndHasNoStreams() {
        Socket socket = factory().createSocket();
        assertThat(socket.isConnected()).isFalse();
        assertThatThrownBy(socket::getInputStream).isInstanceOf(IOException.class);
        assertThatThrownBy(socket::getOutputStream).isInstanceOf(IOException.class);
    }

    private ServerSocket listening() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        opened.add(server);
        return server;
    }

    private static DirectTlsSocketFactory factory() {
        try {
            return new DirectTlsSocketFactory(SSLContext.getDefault().getSocketFactory(), "example.org");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
