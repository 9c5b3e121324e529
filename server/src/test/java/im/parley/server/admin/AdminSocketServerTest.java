package im.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import im.parley.core.jid.Jids;
import im.parley.server.account.AccountExistsException;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.testing.ForeignUserProbe;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 1: the parley command reaches the running server through a Unix domain socket
 * in data_dir that only the server's user (or root) can use, never through a network port.
 */
class AdminSocketServerTest {
    @TempDir
    Path dataDir;
    private final InMemoryAccountAdmin accounts = new InMemoryAccountAdmin();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void theCommandManagesAccountsThroughTheSocket() throws Exception {
        start(AdminSocketServer.REQUEST_TIMEOUT);
        AdminClient client = AdminClient.connect(dataDir).orElseThrow();

        client.create(Jids.parseEntityBare("juliet@capulet.example"), "r0m30");
        client.create(Jids.parseEntityBare("nurse@capulet.example"), "pw");
        client.changePassword(Jids.parseEntityBare("juliet@capulet.example"), "n3w");
        client.delete(Jids.parseEntityBare("nurse@capulet.example"));

        assertThat(accounts.passwords).containsExactly(java.util.Map.entry("juliet@capulet.example", "n3w"));
        assertThat(client.exists(Jids.parseEntityBare("juliet@capulet.example"))).isTrue();
        assertThat(client.exists(Jids.parseEntityBare("nurse@capulet.example"))).isFalse();
        assertThat(client.list(Jids.parseDomain("capulet.example"))).map(Object::toString)
                .containsExactly("juliet@capulet.example");
    }

    @Test
    void theServersAnswersBecomeTheSameExceptionsAsOnTheDatabase() throws Exception {
        start(AdminSocketServer.REQUEST_TIMEOUT);
        AdminClient client = AdminClient.connect(dataDir).orElseThrow();
        client.create(Jids.parseEntityBare("juliet@capulet.example"), "r0m30");

        assertThatThrownBy(() -> client.create(Jids.parseEntityBare("juliet@capulet.example"), "x"))
                .isInstanceOf(AccountExistsException.class);
        assertThatThrownBy(() -> client.delete(Jids.parseEntityBare("romeo@montague.example")))
                .isInstanceOf(NoSuchAccountException.class);
        assertThatThrownBy(() -> client.changePassword(Jids.parseEntityBare("romeo@montague.example"), "x"))
                .isInstanceOf(NoSuchAccountException.class);
        assertThatThrownBy(() -> client.create(Jids.parseEntityBare("romeo@montague.example"), "bad"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the password is not allowed");
    }

    @Test
    void theSocketAndItsSecretAreForTheOwnerOnlyAndGoAwayWithTheServer() throws Exception {
        AdminSocketServer server = start(AdminSocketServer.REQUEST_TIMEOUT);
        Path socket = dataDir.resolve("admin.sock");
        Path secret = dataDir.resolve("admin.secret");

        assertThat(server.socket()).isEqualTo(socket.toAbsolutePath());
        assertThat(permissions(socket)).isEqualTo("rw-------");
        assertThat(permissions(secret)).isEqualTo("rw-------");
        assertThat(Files.readString(secret).trim()).hasSize(64);

        server.close();

        assertThat(socket).doesNotExist();
        assertThat(secret).doesNotExist();
        assertThat(AdminClient.connect(dataDir)).isEmpty();
    }

    @Test
    void withoutAServerTheCommandIsToldNobodyAnswers() {
        assertThat(AdminClient.connect(dataDir)).isEmpty();
    }

    @Test
    void aSocketLeftByAKilledServerIsNotAServerAndIsReplacedAtTheNextStart() throws Exception {
        Path socket = dataDir.resolve("admin.sock");
        try (ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(socket));
        }
        Files.writeString(dataDir.resolve("admin.secret"), "0".repeat(64));
        assertThat(socket).exists();

        assertThat(AdminClient.connect(dataDir)).isEmpty();

        start(AdminSocketServer.REQUEST_TIMEOUT);
        assertThat(AdminClient.connect(dataDir)).isPresent();
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryLeavesTheFirstOneItsSocket() throws Exception {
        start(AdminSocketServer.REQUEST_TIMEOUT);

        assertThat(AdminSocketServer.start(dataDir, new InMemoryAccountAdmin())).isEmpty();

        AdminClient.connect(dataDir).orElseThrow().create(Jids.parseEntityBare("juliet@capulet.example"), "pw");
        assertThat(accounts.passwords).containsKey("juliet@capulet.example");
    }

    @Test
    void aRequestWithoutTheSecretIsRefused() throws Exception {
        start(AdminSocketServer.REQUEST_TIMEOUT);

        String answer = exchange("{\"secret\":\"" + "0".repeat(64) + "\",\"op\":\"CREATE\","
                + "\"jid\":\"mallory@capulet.example\",\"password\":\"x\"}");

        assertThat(answer).contains("\"failure\":\"FORBIDDEN\"").contains("wrong secret");
        assertThat(exchange("{\"op\":\"LIST\",\"domain\":\"capulet.example\"}")).contains("FORBIDDEN");
        assertThat(accounts.passwords).isEmpty();
    }

    @Test
    void garbageIsABadRequest() throws Exception {
        start(AdminSocketServer.REQUEST_TIMEOUT);

        assertThat(exchange("<stream:stream>")).contains("\"failure\":\"BAD_REQUEST\"");
    }

    @Test
    void aConnectionThatSendsNoRequestIsClosedAtTheDeadlineAndTheSocketServesOn() throws Exception {
        start(Duration.ofMillis(300));

        try (SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(dataDir.resolve("admin.sock")))) {
            // Blocks until the server closes the connection: -1, end of stream, without an answer.
            assertThat(idle.read(ByteBuffer.allocate(16))).isEqualTo(-1);
        }
        assertThat(AdminClient.connect(dataDir)).isPresent();
    }

    @Test
    void aRequestLineLongerThanTheLimitIsCutOff() throws Exception {
        start(AdminSocketServer.REQUEST_TIMEOUT);

        try (SocketChannel flood = SocketChannel.open(UnixDomainSocketAddress.of(dataDir.resolve("admin.sock")))) {
            ByteBuffer chunk = ByteBuffer.wrap("x".repeat(8192).getBytes(StandardCharsets.US_ASCII));
            long written = 0;
            try {
                while (written < 16L * AdminProtocol.MAX_LINE_BYTES) {
                    written += flood.write(chunk.rewind());
                }
            } catch (IOException e) {
                // The server closed the connection: what this test expects.
            }
            assertThat(written).isLessThan(16L * AdminProtocol.MAX_LINE_BYTES);
        }
    }

    @Test
    void oneConnectionMoreThanTheLimitIsToldTheServerIsBusy() throws Exception {
        start(AdminSocketServer.REQUEST_TIMEOUT);
        Path socket = dataDir.resolve("admin.sock");
        for (int i = 0; i < AdminSocketServer.MAX_CONNECTIONS; i++) {
            SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            opened.add(idle);
        }

        assertThatThrownBy(() -> AdminClient.connect(dataDir)).isInstanceOf(AdminChannelException.class)
                .hasMessageContaining("busy");
    }

    /**
     * The peer's user is checked (SO_PEERCRED) even where file permissions would let it in: here
     * the socket is opened to everyone and another user presents the right secret, and is still
     * refused. Needs root, to run the other user's process, and a directory that user can reach:
     * one of its own under /tmp, since the test's TMPDIR is closed to others.
     */
    @Test
    void anotherUserIsRefusedEvenWithTheSecretAndAnOpenSocket() throws Exception {
        assumeThat(ForeignUserProbe.available()).as("root and setpriv, to run another user's process").isTrue();
        Path shared = Files.createTempDirectory(Path.of("/tmp"), "parley-admin-test");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx--x--x"));
            Path data = Files.createDirectory(shared.resolve("data"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            opened.add(AdminSocketServer.start(data, accounts).orElseThrow());
            Path socket = data.resolve("admin.sock");
            String secret = Files.readString(data.resolve("admin.secret")).trim();
            String request = "{\"secret\":\"" + secret + "\",\"op\":\"CREATE\",\"jid\":\"mallory@capulet.example\","
                    + "\"password\":\"x\"}";

            assertThat(ForeignUserProbe.send(shared, socket, request))
                    .as("0700 data_dir, 0600 socket: the other user cannot even connect").contains("Permission denied");

            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));

            assertThat(ForeignUserProbe.send(shared, socket, request)).contains("\"failure\":\"FORBIDDEN\"")
                    .contains("only the server's user and root");
            assertThat(accounts.passwords).isEmpty();
        } finally {
            closeAll();
            opened.clear();
            deleteRecursively(shared);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private AdminSocketServer start(Duration timeout) {
        AdminSocketServer server = AdminSocketServer.start(dataDir, accounts, timeout).orElseThrow();
        opened.add(server);
        return server;
    }

    /** Sends one raw line and returns the answer line. */
    private String exchange(String line) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(dataDir.resolve("admin.sock")));
             AdminConnection connection = new AdminConnection(channel, Duration.ofSeconds(10))) {
            connection.writeLine(line.getBytes(StandardCharsets.UTF_8));
            return new String(connection.readLine(), StandardCharsets.UTF_8);
        }
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
