package im.parley.conformance.calls;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn ({@code turnserver}, Debian package {@code coturn}) on a loopback address and a
 * free port, checking TURN REST credentials with a shared secret ({@code --use-auth-secret}), in
 * the foreground, with its pid, log and database in the test's directory. Ready once it answers
 * a STUN Binding request (RFC 5389 §7).
 */
final class TurnServerProcess implements AutoCloseable {

    static final String ADDRESS = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final InetSocketAddress address;

    private TurnServerProcess(Process process, Path log, InetSocketAddress address) {
        this.process = process;
        this.log = log;
        this.address = address;
    }

    /** A UDP port free on {@link #ADDRESS} now, for the server to take (and its TCP listener too). */
    static int freePort() {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(ADDRESS, 0))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static TurnServerProcess start(Path dir, int port, String realm, String secret) throws IOException {
        Path log = dir.resolve("turnserver.log");
        List<String> command = List.of("turnserver", "-n",
                "--listening-ip=" + ADDRESS, "--listening-port=" + port, "--relay-ip=" + ADDRESS,
                "--realm=" + realm, "--use-auth-secret", "--static-auth-secret=" + secret,
                "--no-cli", "--no-tls", "--no-dtls", "--no-stdout-log", "--simple-log",
                "--log-file=" + log, "--pidfile=" + dir.resolve("turnserver.pid"),
                "--userdb=" + dir.resolve("turndb"));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("turnserver.out").toFile()).start();
        TurnServerProcess turn = new TurnServerProcess(process, log, new InetSocketAddress(ADDRESS, port));
        try {
            await("turnserver answers a STUN Binding request on " + ADDRESS + ":" + port).atMost(START_TIMEOUT)
                    .failFast("turnserver exited", () -> !process.isAlive())
                    .until(turn::answersBinding);
        } catch (RuntimeException e) {
            turn.close();
            throw new IllegalStateException(e.getMessage() + "; its log: " + turn.log(), e);
        }
        return turn;
    }

    InetSocketAddress address() {
        return address;
    }

    /** Sends {@code request} from {@code socket} and returns the answer to it. */
    StunMessage exchange(DatagramSocket socket, StunMessage request, byte[] encoded) throws IOException {
        socket.send(new DatagramPacket(encoded, encoded.length, address));
        byte[] buffer = new byte[1500];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            StunMessage answer = StunMessage.decode(packet.getData(), packet.getLength());
            if (answer.answers(request)) {
                return answer;
            }
        }
    }

    private boolean answersBinding() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ADDRESS), 0))) {
            socket.setSoTimeout(500);
            StunMessage binding = StunMessage.request(StunMessage.BINDING_REQUEST);
            return exchange(socket, binding, binding.encode()).type() == StunMessage.BINDING_SUCCESS;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
