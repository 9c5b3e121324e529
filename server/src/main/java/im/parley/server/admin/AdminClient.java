package im.parley.server.admin;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.account.AccountExistsException;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.admin.AdminProtocol.Failure;
import im.parley.server.admin.AdminProtocol.Operation;
import im.parley.server.admin.AdminProtocol.Request;
import im.parley.server.admin.AdminProtocol.Response;
import im.parley.server.tls.ReloadReport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * The {@code parley} command's side of the admin socket ({@link AdminSocketServer}): each
 * operation is one connection, one request and one response.
 */
public final class AdminClient implements AccountAdmin {

    /** How long a server has to answer the first request before the command takes it for stuck. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    /** Deleting an account with much data may take a while. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Path socket;
    private final String secret;

    private AdminClient(Path socket, String secret) {
        this.socket = socket;
        this.secret = secret;
    }

    /**
     * The admin socket of the server running on {@code dataDir}, if one answers; empty when no
     * server runs there, when one is left from a server that was killed, and when the server
     * does not answer in time.
     *
     * @throws AdminChannelException if a server answers but this user may not use its socket
     */
    public static Optional<AdminClient> connect(Path dataDir) {
        Path socket = AdminProtocol.socketFile(dataDir);
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        String secret;
        try {
            secret = Files.readString(AdminProtocol.secretFile(dataDir), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AdminChannelException("cannot read " + AdminProtocol.secretFile(dataDir) + " (" + e.getMessage()
                    + "): run the parley command as the server's user", e);
        }
        AdminClient client = new AdminClient(socket, secret);
        try {
            client.exchange(new Request(secret, Operation.PING, null, null, null), PING_TIMEOUT);
        } catch (ServerGone e) {
            return Optional.empty();
        }
        return Optional.of(client);
    }

    /** Where the server running on {@code dataDir} listens for the parley command. */
    public static Path socketFile(Path dataDir) {
        return AdminProtocol.socketFile(dataDir);
    }

    @Override
    public void create(EntityBareJid jid, String password) throws AccountExistsException {
        Response response = request(Operation.CREATE, jid.toString(), password, null);
        if (response.failure() == Failure.ACCOUNT_EXISTS) {
            throw new AccountExistsException(jid);
        }
        requireSuccess(response);
    }

    @Override
    public void changePassword(EntityBareJid jid, String password) throws NoSuchAccountException {
        Response response = request(Operation.CHANGE_PASSWORD, jid.toString(), password, null);
        if (response.failure() == Failure.NO_SUCH_ACCOUNT) {
            throw new NoSuchAccountException(jid);
        }
        requireSuccess(response);
    }

    @Override
    public void delete(EntityBareJid jid) throws NoSuchAccountException {
        Response response = request(Operation.DELETE, jid.toString(), null, null);
        if (response.failure() == Failure.NO_SUCH_ACCOUNT) {
            throw new NoSuchAccountException(jid);
        }
        requireSuccess(response);
    }

    @Override
    public boolean exists(EntityBareJid jid) {
        return Boolean.TRUE.equals(requireSuccess(request(Operation.EXISTS, jid.toString(), null, null)).exists());
    }

    @Override
    public List<EntityBareJid> list(DomainBareJid domain) {
        return jids(requireSuccess(request(Operation.LIST, null, null, domain.toString())));
    }

    @Override
    public void setDisabled(EntityBareJid jid, boolean disabled) throws NoSuchAccountException {
        Response response = request(disabled ? Operation.DISABLE : Operation.ENABLE, jid.toString(), null, null);
        if (response.failure() == Failure.NO_SUCH_ACCOUNT) {
            throw new NoSuchAccountException(jid);
        }
        requireSuccess(response);
    }

    @Override
    public List<EntityBareJid> listDisabled(DomainBareJid domain) {
        return jids(requireSuccess(request(Operation.LIST_DISABLED, null, null, domain.toString())));
    }

    @Override
    public List<EntityBareJid> listOnline(DomainBareJid domain) {
        return jids(requireSuccess(request(Operation.LIST_ONLINE, null, null, domain.toString())));
    }

    @Override
    public int endSessions(Jid jid) {
        return requireSuccess(request(Operation.END_SESSIONS, jid.toString(), null, null)).count();
    }

    @Override
    public int announce(DomainBareJid domain, String text) {
        return requireSuccess(request(new Request(secret, Operation.ANNOUNCE, null, null, domain.toString(), text)))
                .count();
    }

    @Override
    public Optional<String> motd(DomainBareJid domain) {
        return Optional.ofNullable(requireSuccess(request(Operation.MOTD_GET, null, null, domain.toString())).text());
    }

    /** Over the admin socket the message always goes to the users online now, as {@code set-motd} does. */
    @Override
    public void setMotd(DomainBareJid domain, String text, boolean sendNow) {
        requireSuccess(request(new Request(secret, Operation.MOTD_SET, null, null, domain.toString(), text)));
    }

    @Override
    public boolean deleteMotd(DomainBareJid domain) {
        return requireSuccess(request(Operation.MOTD_DELETE, null, null, domain.toString())).count() > 0;
    }

    /** What the running server tells of itself ({@code parley status}). */
    public ServerStatus status() {
        return requireSuccess(request(new Request(secret, Operation.STATUS, null, null, null))).status();
    }

    /** Has the running server read its certificate files again ({@code parley reload}). */
    public ReloadReport reloadCertificates() {
        Response response = requireSuccess(request(new Request(secret, Operation.RELOAD, null, null, null)));
        return new ReloadReport(response.text() == null ? List.of() : List.of(response.text().split("\n")),
                response.count() == null ? 0 : response.count());
    }

    private static List<EntityBareJid> jids(Response response) {
        List<EntityBareJid> jids = new ArrayList<>();
        for (String jid : response.accounts()) {
            try {
                jids.add(Jids.parseEntityBare(jid));
            } catch (JidMalformedException e) {
                throw new AdminChannelException("the server listed a malformed JID: " + jid, e);
            }
        }
        return jids;
    }

    private Response request(Operation op, String jid, String password, String domain) {
        return request(new Request(secret, op, jid, password, domain));
    }

    private Response request(Request request) {
        try {
            return exchange(request, REQUEST_TIMEOUT);
        } catch (ServerGone e) {
            throw new AdminChannelException("the server stopped answering on " + socket + " (" + e.getMessage()
                    + "); check its log before trying again", e);
        }
    }

    private Response exchange(Request request, Duration timeout) throws ServerGone {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException | NoSuchFileException e) {
            throw new ServerGone("nothing listens on " + socket, e);
        } catch (IOException e) {
            throw new AdminChannelException("cannot connect to " + socket + " (" + e.getMessage()
                    + "): run the parley command as the server's user", e);
        }
        try (AdminConnection connection = new AdminConnection(channel, timeout)) {
            try {
                connection.writeLine(AdminProtocol.encode(request));
            } catch (IOException e) {
                // A busy server answers and closes without reading: its answer is still there to read.
            }
            byte[] line;
            try {
                line = connection.readLine();
            } catch (IOException e) {
                throw new ServerGone(connection.timedOut() ? "no answer within " + timeout.toSeconds() + " s"
                        : e.getMessage(), e);
            }
            Response response = AdminProtocol.decode(line, Response.class);
            if (response.failure() == Failure.FORBIDDEN || response.failure() == Failure.BUSY) {
                throw new AdminChannelException("the server refused: " + response.message());
            }
            return response;
        } catch (IOException e) {
            throw new ServerGone(e.getMessage(), e);
        }
    }

    private static Response requireSuccess(Response response) {
        if (response.failure() == Failure.BAD_PASSWORD) {
            throw new IllegalArgumentException(response.message());
        }
        if (response.failure() != null) {
            throw new AdminChannelException("the server refused: " + response.message());
        }
        return response;
    }

    /** The server is not there, or not answering: the command may fall back to the database. */
    private static final class ServerGone extends Exception {
        private static final long serialVersionUID = 1L;

        ServerGone(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
