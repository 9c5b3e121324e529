package im.parley.conformance.durability;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.IntStream;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a server acknowledges is never lost, even when its process dies without warning.
 *
 * <p>XEP-0198 §4: "the value of 'h' ... is the sequence number of the last handled stanza"; a
 * client drops what the server acknowledged and never sends it again, so a stanza may only count
 * as handled once its effect survives a crash (here: the offline message is stored, XEP-0160 §2,
 * and archived in both accounts' archives, XEP-0313 §6.1.1, which are group-committed to the
 * archive journal and indexed into the database after the restart).
 * RFC 6120 §10.1: the server processes a client's stanzas in the order received, so the messages
 * come back in the order they were sent. The server runs in its own process and is killed with
 * SIGKILL right after it acknowledged the last message.
 */
class AcknowledgedMessagesSurviveKillTest {

    private static final String DOMAIN = "durable.test";
    private static final String SM = "urn:xmpp:sm:3";
    private static final String MAM = "urn:xmpp:mam:2";
    private static final String PASSWORD = "durable password";
    private static final int MESSAGES = 100;

    @TempDir
    Path dir;

    private ParleyProcess parley;
    private int port;
    private final List<RawXmppClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RawXmppClient::close);
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void offlineMessagesAcknowledgedBeforeAKillAreThereAfterARestartInOrder() throws Exception {
        String config = config();
        RawXmppClient romeo = startAndSendAcknowledged(config);
        parley.kill();

        parley = ParleyProcess.start(dir, config, List.of());
        RawXmppClient juliet = login("juliet");
        juliet.send("<presence/>");
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < MESSAGES) {
            Element message = juliet.nextElement(e -> "message".equals(e.getName()));
            bodies.add(message.elementText("body"));
        }
        List<String> sent = IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList();
        assertThat(bodies).containsExactlyElementsOf(sent);
        assertThat(archivedBodies(juliet)).as("juliet's archive").containsExactlyElementsOf(sent);
        assertThat(archivedBodies(login("romeo"))).as("romeo's archive").containsExactlyElementsOf(sent);
    }

    /**
     * Messages already moved from the journal into the archive index (a query indexes what the
     * journal holds first) survive the kill too: the index's writes are in RocksDB's write-ahead
     * log, which a killed process leaves in the operating system's cache (no fsync); after the
     * restart each is in the archives once (XEP-0313 §4), none indexed twice from the journal.
     */
    @Test
    void messagesIndexedBeforeAKillAreInTheArchiveIndexOnceAfterARestart() throws Exception {
        String config = config();
        RawXmppClient romeo = startAndSendAcknowledged(config);
        List<String> sent = IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList();
        assertThat(archivedBodies(romeo)).as("romeo's archive, indexed").containsExactlyElementsOf(sent);
        parley.kill();

        assertThat(dir.resolve("data").resolve("mam-archive").resolve(DOMAIN)).isDirectory();
        parley = ParleyProcess.start(dir, config, List.of());
        assertThat(archivedBodies(login("romeo"))).as("romeo's archive").containsExactlyElementsOf(sent);
        assertThat(archivedBodies(login("juliet"))).as("juliet's archive").containsExactlyElementsOf(sent);
    }

    /**
     * Starts the server with romeo and juliet, and has romeo send {@link #MESSAGES} messages to
     * juliet with Stream Management on, until the server acknowledged them all (XEP-0198 §4).
     */
    private RawXmppClient startAndSendAcknowledged(String config) throws Exception {
        addUsers(config, "romeo", "juliet");
        parley = ParleyProcess.start(dir, config, List.of());
        RawXmppClient romeo = login("romeo");
        romeo.send("<enable xmlns='" + SM + "'/>");
        assertThat(romeo.nextElement().getName()).isEqualTo("enabled");
        for (int i = 1; i <= MESSAGES; i++) {
            romeo.send("<message to='juliet@" + DOMAIN + "' type='chat' id='m" + i + "'><body>m" + i
                    + "</body></message>");
        }
        awaitAck(romeo, MESSAGES);
        return romeo;
    }

    /** The bodies in the client's archive, oldest first (XEP-0313 §4: one page of all of them). */
    private static List<String> archivedBodies(RawXmppClient client) {
        client.send("<iq type='set' id='mam'><query xmlns='" + MAM + "'><set xmlns='http://jabber.org/protocol/rsm'>"
                + "<max>" + MESSAGES + "</max></set></query></iq>");
        List<String> bodies = new ArrayList<>();
        while (true) {
            Element next = client.nextElement(e -> "iq".equals(e.getName()) && "mam".equals(e.attributeValue("id"))
                    || "message".equals(e.getName()) && e.element("result") != null);
            if ("iq".equals(next.getName())) {
                assertThat(next.attributeValue("type")).isEqualTo("result");
                return bodies;
            }
            bodies.add(next.element("result").element("forwarded").element("message").elementText("body"));
        }
    }

    /** Asks for acks until the server says it handled {@code count} stanzas (XEP-0198 §4). */
    private static void awaitAck(RawXmppClient client, long count) {
        long h = -1;
        while (h < count) {
            client.send("<r xmlns='" + SM + "'/>");
            Element ack = client.nextElement(e -> "a".equals(e.getName()) && SM.equals(e.getNamespaceURI()));
            h = Long.parseLong(ack.attributeValue("h"));
        }
        assertThat(h).isEqualTo(count);
    }

    /** One domain, c2s with STARTTLS on a free loopback port, nothing else (not the default HTTP listener). */
    private String config() throws IOException {
        // Below the ephemeral range: the server takes the port again after its kill -9, and an
        // outgoing connection in between must not be able to hold it.
        port = LoopbackPorts.unused(InetAddress.getByName("127.0.0.1"));
        return String.join("\n",
                "domains: [\"" + DOMAIN + "\"]",
                "data_dir: \"" + dir.resolve("data") + "\"",
                "c2s:",
                "  address: \"127.0.0.1\"",
                "  port: " + port,
                "direct_tls:",
                "  enabled: false",
                "s2s:",
                "  enabled: false",
                "http:",
                "  enabled: false",
                // The archive's indexer does not run on its own before the kill: the archived
                // messages are then in the journal only, and come back through its replay.
                "mam:",
                "  index_delay: \"1h\"",
                "");
    }

    /** Creates the accounts while the server is stopped, as {@code parley adduser} does. */
    private void addUsers(String config, String... usernames) throws Exception {
        ParleyConfig parsed = ConfigLoader.parse(config, "parley.yml");
        try (Database database = Database.open(parsed.storage(), parsed.dataDir())) {
            AccountService accounts = new AccountService(new JdbcAccountStore(database.dataSource()));
            for (String username : usernames) {
                accounts.create(Jids.parseEntityBare(username + "@" + DOMAIN), PASSWORD);
            }
        }
    }

    private RawXmppClient login(String username) throws Exception {
        RawXmppClient client = RawXmppClient.connect("127.0.0.1", port, certificate()).toDomain(DOMAIN);
        clients.add(client);
        client.login(username, PASSWORD, "res");
        return client;
    }

    /** The self-signed certificate the server generated for the domain on first start. */
    private X509Certificate certificate() throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve("data").resolve("certs").resolve(DOMAIN + ".crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
