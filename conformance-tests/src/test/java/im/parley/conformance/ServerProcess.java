package im.parley.conformance;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import im.parley.server.testing.LoopbackPorts;
import im.parley.server.testing.ParleyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * One Parley server for one domain in a process of its own ({@code parley run}), with c2s and
 * STARTTLS on a free loopback port and nothing else listening (no federation, no HTTP), and the
 * raw clients a test logs in to it; a test adds its own configuration lines. For what only a real
 * process shows: a kill, a stop, an exit status.
 */
public final class ServerProcess implements AutoCloseable {

    private final Path dir;
    private final String domain;
    private final String password;
    private final int port;
    private final String config;
    private final List<RawXmppClient> clients = new ArrayList<>();
    private ParleyProcess process;

    /** @param moreConfig lines added to the configuration file (YAML, top level) */
    public ServerProcess(Path dir, String domain, String password, String... moreConfig) throws IOException {
        this.dir = dir;
        this.domain = domain;
        this.password = password;
        // Below the ephemeral range: the server takes the port again after a kill -9, and an
        // outgoing connection in between must not be able to hold it.
        this.port = LoopbackPorts.unused(InetAddress.getByName("127.0.0.1"));
        List<String> lines = new ArrayList<>(List.of(
                "domains: [\"" + domain + "\"]",
                "data_dir: \"" + dir.resolve("data") + "\"",
                "c2s:",
                "  address: \"127.0.0.1\"",
                "  port: " + port,
                "direct_tls:",
                "  enabled: false",
                "s2s:",
                "  enabled: false",
                "http:",
                "  enabled: false"));
        lines.addAll(List.of(moreConfig));
        lines.add("");
        this.config = String.join("\n", lines);
    }

    /** Creates the accounts (with the password given above) while the server is stopped, as {@code parley adduser} does. */
    public void addUsers(String... usernames) throws Exception {
        ParleyConfig parsed = ConfigLoader.parse(config, "parley.yml");
        try (Database database = Database.open(parsed.storage(), parsed.dataDir())) {
            AccountService accounts = new AccountService(new JdbcAccountStore(database.dataSource()));
            for (String username : usernames) {
                accounts.create(Jids.parseEntityBare(username + "@" + domain), password);
            }
        }
    }

    /** Starts the server, again after a kill or a stop: the same data and port. */
    public ParleyProcess start() throws Exception {
        process = ParleyProcess.start(dir, config, List.of());
        return process;
    }

    /** The process started last. */
    public ParleyProcess process() {
        return process;
    }

    /** A raw client logged in as {@code username} (resource "res"), closed with this. */
    public RawXmppClient login(String username) throws Exception {
        RawXmppClient client = RawXmppClient.connect("127.0.0.1", port, certificate()).toDomain(domain);
        clients.add(client);
        client.login(username, password, "res");
        return client;
    }

    /** The server's data directory. */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /** The self-signed certificate the server generated for the domain on its first start. */
    private X509Certificate certificate() throws Exception {
        try (InputStream in = Files.newInputStream(dataDir().resolve("certs").resolve(domain + ".crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Closes the clients, stops the server if it runs. */
    @Override
    public void close() throws Exception {
        clients.forEach(RawXmppClient::close);
        if (process != null) {
            process.close();
        }
    }
}
