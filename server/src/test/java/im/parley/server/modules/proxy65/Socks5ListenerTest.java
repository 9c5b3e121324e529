package im.parley.server.modules.proxy65;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's listener over loopback sockets: the per-address limit and the rate limit. */
class Socks5ListenerTest {

    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";

    private Socks5Listener listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void anAddressHoldsAtMostItsConnections() throws Exception {
        listener = Socks5Listener.bind(new InetSocketAddress("127.0.0.1", 0), new Bytestreams(10, 10),
                new Proxy65Limits(2, Duration.ofMinutes(1), 0));
        try (Socket first = connect(); Socket second = connect(); Socket third = connect()) {
            assertThat(third.getInputStream().read()).as("the third connection is closed at once").isEqualTo(-1);
            assertThat(greet(first)).containsExactly(5, 0);
            assertThat(greet(second)).containsExactly(5, 0);
        }
    }

    @Test
    void aStreamIsRelayedNoFasterThanTheRate() throws Exception {
        Bytestreams bytestreams = new Bytestreams(10, 10);
        int rate = 50_000;
        listener = Socks5Listener.bind(new InetSocketAddress("127.0.0.1", 0), bytestreams,
                new Proxy65Limits(10, Duration.ofMinutes(1), rate));
        try (Socket target = connected(); Socket requester = connected()) {
            assertThat(bytestreams.activate(HASH).relaying().toCompletableFuture().join()).isNull();
            byte[] payload = new byte[6 * rate];
            long start = System.nanoTime();
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    requester.getOutputStream().write(payload);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            new DataInputStream(target.getInputStream()).readFully(new byte[payload.length]);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            sent.join();
            // Six seconds' worth at the rate; whatever the shaper's bursts, well over two seconds.
            assertThat(took).isGreaterThan(Duration.ofSeconds(2));
        }
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket("127.0.0.1", listener.address().getPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private Socket connected() throws Exception {
        Socket socket = connect();
        assertThat(greet(socket)).containsExactly(5, 0);
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {5, 1, 0, 3, 40});
        out.write(HASH.getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0, 0});
        byte[] reply = new byte[47];
        new DataInputStream(socket.getInputStream()).readFully(reply);
        assertThat(reply[1]).isZero();
        return socket;
    }

    private static byte[] greet(Socket socket) throws Exception {
        socket.getOutputStream().write(new byte[] {5, 1, 0});
        byte[] answer = new byte[2];
        InputStream in = socket.getInputStream();
        new DataInputStream(in).readFully(answer);
        return answer;
    }
}
