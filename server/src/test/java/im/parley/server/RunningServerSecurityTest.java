package im.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.ForeignUserProbe;
import im.parley.server.testing.ParleyProcess;
import im.parley.server.testing.ParleyProcess.CommandResult;
import im.parley.server.testing.ProcessSockets;
import im.parley.server.testing.SocketClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 17 item 1 on a real server process, started as a user starts it ({@code parley run}), in
 * a JVM that cannot resolve the machine's host name (as in many containers): nothing listens but
 * the configured listeners (the embedded database has no TCP server), data_dir and every file in
 * it belong to the server's user alone, and the {@code parley} command changes accounts while
 * the server runs, through the admin socket, and after it stopped, on the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunningServerSecurityTest {
    private Path base;
    private Path dataDir;
    private Path hosts;
    private int c2sPort;
    private int directTlsPort;
    private int httpPort;
    private ParleyProcess server;

    @BeforeAll
    void startTheServer() throws Exception {
        // Under /tmp rather than the test's TMPDIR, which is closed to other users: the foreign
        // user test must fail on data_dir's own permissions, not on a parent's.
        base = Files.createTempDirectory(Path.of("/tmp"), "parley-process-test");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        dataDir = base.resolve("data");
        // jdk.net.hosts.file: the JVM resolves names from this file only, which lacks the host name.
        hosts = Files.writeString(base.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
        c2sPort = freePort();
        directTlsPort = freePort();
        httpPort = freePort();
        server = ParleyProcess.start(base, String.join("\n",
                "domains: [\"localhost\"]",
                "data_dir: \"" + dataDir + "\"",
                "c2s: {address: \"127.0.0.1\", port: " + c2sPort + "}",
                "direct_tls: {address: \"127.0.0.1\", port: " + directTlsPort + "}",
                "http: {enabled: true, address: \"127.0.0.1\", port: " + httpPort + "}",
                "tls: {starttls_required: false}",
                ""), jvmOptions());
    }

    @AfterAll
    void stopTheServer() throws Exception {
        if (server != null) {
            server.close();
        }
        try (var paths = Files.walk(base)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void theServerStartedWhereTheHostNameDoesNotResolve() throws Exception {
        String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        assertThat(Files.readString(hosts)).doesNotContain(hostName);
        assertThat(localHostSeenWith(jvmOptions())).as("InetAddress.getLocalHost() in the server's JVM")
                .startsWith("unknown");

        assertThat(server.log()).contains(" serving localhost").doesNotContain("UnknownHost");
        try (SocketClient probe = new SocketClient("127.0.0.1", c2sPort)) {
            probe.send(SocketClient.header("localhost"));
            assertThat(probe.next(e -> "features".equals(e.getName()))).isNotNull();
        }
    }

    @Test
    void nothingListensButTheConfiguredListenersAndTheAdminSocket() throws Exception {
        assertThat(ProcessSockets.listeningTcp(server.pid())).containsExactlyInAnyOrder(
                new InetSocketAddress("127.0.0.1", c2sPort),
                new InetSocketAddress("127.0.0.1", directTlsPort),
                new InetSocketAddress("127.0.0.1", httpPort));
        assertThat(ProcessSockets.listeningUnix(server.pid())).containsExactly(dataDir.resolve("admin.sock").toString());
        assertThat(ProcessSockets.udp(server.pid())).isEmpty();
    }

    @Test
    void theDataDirectoryAndEveryFileInItAreTheServersUsersAlone() throws Exception {
        assertThat(entries()).contains("parley.mv.db rw-------", "database.secret rw-------", "admin.sock rw-------",
                "admin.secret rw-------", "certs rwx------", "certs/localhost.crt rw-------",
                "certs/localhost.key rw-------");
        assertThat(entries()).allSatisfy(entry -> assertThat(entry).matches(".* rw[-x]------"));
        assertThat(permissions(dataDir)).isEqualTo("rwx------");
        assertThat(dataDir.resolve("parley.lock.db")).doesNotExist();
    }

    @Test
    void adduserWhileTheServerRunsGoesThroughTheServerAndTheAccountCanLogIn() throws Exception {
        CommandResult adduser = server.command("r0m30\n", "adduser", "juliet@localhost");

        assertThat(adduser.exitCode()).as(adduser.stderr()).isZero();
        assertThat(adduser.stdout()).isEqualTo("created juliet@localhost\n");
        assertThat(server.log()).contains("account juliet@localhost created by an administrator");
        try (SocketClient juliet = new SocketClient("127.0.0.1", c2sPort)) {
            assertThat(juliet.bind("juliet@localhost", "r0m30", "balcony").jid()).isEqualTo("juliet@localhost/balcony");
        }
        CommandResult users = server.command("", "users", "localhost");
        assertThat(users.stdout()).contains("juliet@localhost\n");
    }

    /** XEP-0077 §3.2: the sessions of a removed account end with {@code <not-authorized/>}. */
    @Test
    void deluserWhileTheServerRunsEndsTheSessionsOfTheAccount() throws Exception {
        assertThat(server.command("pw\n", "adduser", "romeo@localhost").exitCode()).isZero();
        try (SocketClient romeo = new SocketClient("127.0.0.1", c2sPort)) {
            romeo.login("romeo@localhost", "pw", "orchard");

            CommandResult deluser = server.command("", "deluser", "romeo@localhost");

            assertThat(deluser.exitCode()).as(deluser.stderr()).isZero();
            assertThat(deluser.stdout()).isEqualTo("deleted romeo@localhost\n");
            Element error = romeo.next(e -> "error".equals(e.getName()));
            assertThat(error.element("not-authorized")).isNotNull();
        }
    }

    @Test
    void theAdminSocketRefusesAnotherUserAndAWrongSecret() throws Exception {
        Path socket = dataDir.resolve("admin.sock");
        String request = "{\"secret\":\"" + "0".repeat(64) + "\",\"op\":\"CREATE\",\"jid\":\"mallory@localhost\","
                + "\"password\":\"x\"}";
        if (ForeignUserProbe.available()) {
            assertThat(ForeignUserProbe.send(base, socket, request)).startsWith("refused:").contains("Permission denied");
        }

        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            assertThat(readAll(channel)).contains("\"failure\":\"FORBIDDEN\"");
        }
        assertThat(server.command("", "users", "localhost").stdout()).doesNotContain("mallory");
    }

    @Test
    void aCommandThatFindsTheDatabaseHeldButNoServerAnsweringSaysSoInOneLine() throws Exception {
        Path socket = dataDir.resolve("admin.sock");
        Path away = dataDir.resolve("admin.sock.away");
        Files.move(socket, away);
        CommandResult adduser;
        try {
            adduser = server.command("pw\n", "adduser", "nurse@localhost");
        } finally {
            Files.move(away, socket, StandardCopyOption.ATOMIC_MOVE);
        }

        assertThat(adduser.exitCode()).isEqualTo(3);
        assertThat(adduser.stderr().lines().toList()).singleElement().asString()
                .startsWith("parley: the database " + dataDir.resolve("parley.mv.db") + " is in use by another process, "
                        + "and no server answers on " + socket);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void onceTheServerStoppedTheCommandWorksOnTheDatabase() throws Exception {
        server.stop();
        assertThat(dataDir.resolve("admin.sock")).doesNotExist();

        CommandResult adduser = ParleyProcess.command(server.config(), jvmOptions(), "pw\n", "adduser", "tybalt@localhost");

        assertThat(adduser.exitCode()).as(adduser.stderr()).isZero();
        assertThat(adduser.stdout()).isEqualTo("created tybalt@localhost\n");
        assertThat(ParleyProcess.command(server.config(), jvmOptions(), "", "users", "localhost").stdout())
                .contains("tybalt@localhost\n").doesNotContain("romeo@localhost");
        assertThat(entries()).allSatisfy(entry -> assertThat(entry).matches(".* rw[-x]------"));
    }

    private List<String> jvmOptions() {
        return List.of("-Djdk.net.hosts.file=" + hosts);
    }

    /** Every entry of data_dir, as "relative/path permissions". */
    private List<String> entries() throws IOException {
        List<String> entries = new ArrayList<>();
        try (var paths = Files.walk(dataDir)) {
            for (Path path : paths.skip(1).toList()) {
                entries.add(dataDir.relativize(path) + " " + permissions(path));
            }
        }
        return entries;
    }

    /** What InetAddress.getLocalHost() gives in a JVM started with these options ("unknown: ..." if it throws). */
    private String localHostSeenWith(List<String> options) throws Exception {
        Path source = Files.writeString(base.resolve("LocalHost.java"), """
                public class LocalHost {
                    public static void main(String[] args) {
                        try {
                            System.out.print(java.net.InetAddress.getLocalHost());
                        } catch (java.net.UnknownHostException e) {
                            System.out.print("unknown: " + e.getMessage());
                        }
                    }
                }
                """);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add(source.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return output;
    }

    private static String readAll(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (channel.read(buffer) >= 0) {
            // until the server closes the connection
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
