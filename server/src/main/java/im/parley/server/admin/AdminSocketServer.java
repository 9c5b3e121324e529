package im.parley.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import im.parley.core.files.OwnerOnlyFiles;
import im.parley.core.files.SecretFile;
import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.account.AccountExistsException;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.admin.AdminProtocol.Failure;
import im.parley.server.admin.AdminProtocol.Request;
import im.parley.server.admin.AdminProtocol.Response;
import im.parley.server.tls.ReloadReport;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server's admin socket: a Unix domain socket, {@code <data_dir>/admin.sock}, through
 * which the {@code parley} command changes accounts while the server holds the database. Nothing
 * listens on the network for it. Only the server's own user, or root, gets an answer: the socket
 * is 0600 inside the 0700 data directory, the peer's user is checked ({@code SO_PEERCRED}), and
 * every request must carry the secret written to {@code admin.secret} (0600) at start. Prosody's
 * {@code prosodyctl shell} reaches the server the same way, over {@code prosody.sock}.
 *
 * <p>Requests run on the socket's own few threads, never on an event loop. The limits are
 * constants rather than options: only a user who could already read the database can connect.
 */
public final class AdminSocketServer implements AutoCloseable {

    /** A connection that has not sent its request and read the answer by then is closed. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Connections served at once; one more is answered {@code BUSY}. */
    static final int MAX_CONNECTIONS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(AdminSocketServer.class);

    private final ServerSocketChannel server;
    private final Path socket;
    private final Path secretFile;
    private final byte[] secret;
    private final Set<UserPrincipal> allowedUsers;
    private final AccountAdmin accounts;
    private final Supplier<ServerStatus> status;
    private final Supplier<ReloadReport> reload;
    private final Duration timeout;
    private final ThreadPoolExecutor handlers;

    private AdminSocketServer(ServerSocketChannel server, Path socket, Path secretFile, String secret,
                              Set<UserPrincipal> allowedUsers, AccountAdmin accounts, Supplier<ServerStatus> status,
                              Supplier<ReloadReport> reload, Duration timeout) {
        this.server = server;
        this.socket = socket;
        this.secretFile = secretFile;
        this.secret = secret.getBytes(StandardCharsets.US_ASCII);
        this.allowedUsers = allowedUsers;
        this.accounts = accounts;
        this.status = status;
        this.reload = reload;
        this.timeout = timeout;
        AtomicInteger threads = new AtomicInteger();
        this.handlers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "parley-admin-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the admin socket in {@code dataDir}. Without one the server still runs, but the
     * {@code parley} command cannot change accounts until it stops: so a failure is logged, not
     * thrown (e.g. a data directory path longer than a Unix socket path may be, about 100 bytes).
     */
    public static Optional<AdminSocketServer> start(Path dataDir, AccountAdmin accounts) {
        return start(dataDir, accounts, () -> null, () -> null, REQUEST_TIMEOUT);
    }

    /** The same, answering {@code parley status} with what {@code status} tells (blocking is fine: not an event loop). */
    public static Optional<AdminSocketServer> start(Path dataDir, AccountAdmin accounts,
                                                    Supplier<ServerStatus> status) {
        return start(dataDir, accounts, status, () -> null, REQUEST_TIMEOUT);
    }

    /** The same, also reading the certificates again on {@code parley reload} with {@code reload}. */
    public static Optional<AdminSocketServer> start(Path dataDir, AccountAdmin accounts,
                                                    Supplier<ServerStatus> status, Supplier<ReloadReport> reload) {
        return start(dataDir, accounts, status, reload, REQUEST_TIMEOUT);
    }

    static Optional<AdminSocketServer> start(Path dataDir, AccountAdmin accounts, Duration timeout) {
        return start(dataDir, accounts, () -> null, () -> null, timeout);
    }

    private static Optional<AdminSocketServer> start(Path dataDir, AccountAdmin accounts, Supplier<ServerStatus> status,
                                                     Supplier<ReloadReport> reload, Duration timeout) {
        Path socket = AdminProtocol.socketFile(dataDir);
        try {
            if (answers(socket)) {
                LOG.warn("another process serves the admin socket {}; the parley command will talk to it, not to "
                        + "this server (do two servers share data_dir?)", socket);
                return Optional.empty();
            }
            // Left behind by a server that was killed: nothing answers on it.
            Files.deleteIfExists(socket);
            Path secretFile = AdminProtocol.secretFile(dataDir);
            String secret = SecretFile.create(secretFile);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socket), MAX_CONNECTIONS);
                if (OwnerOnlyFiles.isPosix(socket)) {
                    Files.setPosixFilePermissions(socket, OwnerOnlyFiles.FILE);
                }
                AdminSocketServer admin = new AdminSocketServer(server, socket, secretFile, secret,
                        allowedUsers(socket), accounts, status, reload, timeout);
                Thread acceptor = new Thread(admin::acceptLoop, "parley-admin-accept");
                acceptor.setDaemon(true);
                acceptor.start();
                return Optional.of(admin);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            LOG.warn("no admin socket, so the parley command cannot change accounts while the server runs: "
                    + "cannot create {}: {}", socket, e.getMessage());
            return Optional.empty();
        }
    }

    /** The socket file. */
    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the admin socket: {}", e.toString());
        }
        handlers.shutdownNow();
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(secretFile);
        } catch (IOException e) {
            LOG.warn("cannot remove the admin socket {}: {}", socket, e.toString());
        }
    }

    /** The server's own user (the owner of the socket it just created) and root. */
    private static Set<UserPrincipal> allowedUsers(Path socket) throws IOException {
        Set<UserPrincipal> allowed = new HashSet<>();
        allowed.add(Files.getOwner(socket));
        try {
            allowed.add(socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        } catch (IOException e) {
            // No root on this system: the server's own user only.
        }
        return Set.copyOf(allowed);
    }

    private static boolean answers(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.error("the admin socket {} stopped accepting connections: {}", socket, e.toString());
                return;
            }
            try {
                handlers.execute(() -> serve(channel));
            } catch (RejectedExecutionException e) {
                try (AdminConnection connection = new AdminConnection(channel, timeout)) {
                    connection.writeLine(AdminProtocol.encode(Response.failed(Failure.BUSY,
                            "the server is busy with " + MAX_CONNECTIONS + " other parley commands; try again")));
                } catch (IOException ignored) {
                    // The command gave up already.
                }
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (AdminConnection connection = new AdminConnection(channel, timeout)) {
            byte[] line;
            try {
                line = connection.readLine();
            } catch (IOException e) {
                LOG.warn("admin socket: no request {}", connection.timedOut() ? "within " + timeout : "(" + e.getMessage() + ")");
                return;
            }
            connection.writeLine(AdminProtocol.encode(respond(channel, line)));
        } catch (IOException e) {
            LOG.info("admin socket: the parley command left before the answer ({})", e.getMessage());
        }
    }

    private Response respond(SocketChannel channel, byte[] line) {
        Optional<UserPrincipal> peer = peer(channel);
        if (peer.isPresent() && !allowedUsers.contains(peer.get())) {
            LOG.warn("admin socket: refused user {}: only the server's user and root may use it", peer.get().getName());
            return Response.failed(Failure.FORBIDDEN, "only the server's user and root may use the admin socket");
        }
        Request request;
        try {
            request = AdminProtocol.decode(line, Request.class);
        } catch (JsonProcessingException e) {
            return Response.failed(Failure.BAD_REQUEST, "not a request: " + e.getOriginalMessage());
        } catch (IOException e) {
            return Response.failed(Failure.BAD_REQUEST, "not a request: " + e.getMessage());
        }
        if (request.secret() == null
                || !MessageDigest.isEqual(secret, request.secret().getBytes(StandardCharsets.US_ASCII))) {
            LOG.warn("admin socket: refused a request with a wrong secret");
            return Response.failed(Failure.FORBIDDEN, "wrong secret: read it from " + secretFile);
        }
        try {
            return execute(request);
        } catch (JidMalformedException e) {
            return Response.failed(Failure.BAD_REQUEST, e.getMessage());
        } catch (AccountExistsException e) {
            return Response.failed(Failure.ACCOUNT_EXISTS, e.getMessage());
        } catch (NoSuchAccountException e) {
            return Response.failed(Failure.NO_SUCH_ACCOUNT, e.getMessage());
        } catch (IllegalArgumentException e) {
            return Response.failed(Failure.BAD_PASSWORD, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("admin socket: {} failed", request.op(), e);
            return Response.failed(Failure.INTERNAL, "the server failed: " + e.getMessage());
        }
    }

    private Response execute(Request request)
            throws JidMalformedException, AccountExistsException, NoSuchAccountException {
        if (request.op() == null) {
            return Response.failed(Failure.BAD_REQUEST, "no operation");
        }
        switch (request.op()) {
            case PING:
                return Response.ok();
            case EXISTS:
                return Response.exists(accounts.exists(jid(request)));
            case CREATE:
                accounts.create(jid(request), request.password());
                return Response.ok();
            case CHANGE_PASSWORD:
                accounts.changePassword(jid(request), request.password());
                return Response.ok();
            case DELETE:
                accounts.delete(jid(request));
                return Response.ok();
            case LIST:
                return Response.accounts(strings(accounts.list(domain(request))));
            case DISABLE, ENABLE:
                accounts.setDisabled(jid(request), request.op() == AdminProtocol.Operation.DISABLE);
                return Response.ok();
            case LIST_DISABLED:
                return Response.accounts(strings(accounts.listDisabled(domain(request))));
            case LIST_ONLINE:
                return Response.accounts(strings(accounts.listOnline(domain(request))));
            case END_SESSIONS:
                return Response.count(accounts.endSessions(Jids.parse(String.valueOf(request.jid()))));
            case ANNOUNCE:
                return Response.count(accounts.announce(domain(request), text(request)));
            case MOTD_GET:
                return Response.text(accounts.motd(domain(request)).orElse(null));
            case MOTD_SET:
                accounts.setMotd(domain(request), text(request), true);
                return Response.ok();
            case MOTD_DELETE:
                return Response.count(accounts.deleteMotd(domain(request)) ? 1 : 0);
            case STATUS:
                ServerStatus now = status.get();
                return now == null ? Response.failed(Failure.BAD_REQUEST, "this server tells no status")
                        : Response.status(now);
            case RELOAD:
                ReloadReport report = reload.get();
                return report == null ? Response.failed(Failure.BAD_REQUEST, "this server has no certificates to reload")
                        : Response.reloaded(report);
            default:
                return Response.failed(Failure.BAD_REQUEST, "unknown operation " + request.op());
        }
    }

    private static EntityBareJid jid(Request request) throws JidMalformedException {
        return Jids.parseEntityBare(String.valueOf(request.jid()));
    }

    private static DomainBareJid domain(Request request) throws JidMalformedException {
        return Jids.parseDomain(String.valueOf(request.domain()));
    }

    /** An announcement or message of the day: never empty. */
    private static String text(Request request) {
        if (request.text() == null || request.text().isBlank()) {
            throw new IllegalArgumentException("the text must not be empty");
        }
        return request.text();
    }

    private static List<String> strings(List<EntityBareJid> jids) {
        return jids.stream().map(EntityBareJid::toString).toList();
    }

    /** The connecting process's user; empty where the platform cannot tell (then file permissions decide). */
    private static Optional<UserPrincipal> peer(SocketChannel channel) {
        try {
            return Optional.of(channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user());
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
    }
}
