package im.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ScramHash;
import im.parley.server.federation.PeerScripts;
import im.parley.server.testing.SocketClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving from Prosody 0.12 (Debian package {@code prosody}) to Parley with XEP-0227: a real
 * Prosody on 127.0.0.71 with its default SCRAM-hashed passwords gets a roster, a vCard, private
 * XML and a pending subscription request from its own clients; {@code prosody-migrator} exports
 * them to its xep0227 store ({@code prosody-xep0227.sh export}); {@code parley import} takes the
 * files and the user logs in to Parley with the same password. Prosody 0.12's xep0227 store has
 * no offline messages (its {@code mod_storage_xep0227} has no "offline" store), so none move;
 * {@link EjabberdMigrationTest} moves one. A missing Prosody fails the test.
 */
class ProsodyMigrationTest {
    private static final String DOMAIN = "prosody-export.test";
    private static final String ADDRESS = "127.0.0.71";

    @Test
    void usersRostersVcardsPrivateXmlAndRequestsMoveToParley(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        PeerScripts scripts = new PeerScripts(dir).with("PROSODY_AUTH", "internal_hashed")
                .with("PROSODY_VCARD", "vcard").with("PROSODY_LOGLEVEL", "warn");
        scripts.run("start-prosody.sh", DOMAIN, ADDRESS);
        try {
            scripts.run("prosody-adduser.sh", DOMAIN, "alice", "alice-secret");
            scripts.run("prosody-adduser.sh", DOMAIN, "carol", "carol-secret");
            fillProsody();
        } finally {
            scripts.run("stop-prosody.sh", DOMAIN);
        }
        Path export = dir.resolve("export");
        scripts.run("prosody-xep0227.sh", "export", DOMAIN, export.toString());

        try (MigrationTarget parley = new MigrationTarget(dir.resolve("parley"), DOMAIN)) {
            List<String> result = parley.importFrom(export);
            assertThat(result.get(0)).as("%s", result).isEqualTo("0");
            assertThat(result.get(1))
                    .contains("imported alice@" + DOMAIN + ": SCRAM-SHA-1 credentials, 1 contacts, 1 pending requests, "
                            + "vCard, 1 private XML, 0 offline messages")
                    .contains("note alice@" + DOMAIN + ": only SCRAM-SHA-1 credentials")
                    .contains("2 accounts imported (0 of them disabled), 0 not imported");

            parley.start();
            // Prosody's SCRAM-SHA-1 StoredKey and ServerKey: the same password, never seen by the import.
            SocketClient alice = parley.bind("alice@" + DOMAIN, "alice-secret", ScramHash.SHA_1);
            Element item = MigrationTarget.checkMovedData(alice, DOMAIN, "none", "met at the tea party");
            assertThat(item.attributeValue("name")).isEqualTo("Bobby");
            assertThat(item.attributeValue("ask")).isEqualTo("subscribe");
            // RFC 6121 §3.1.3: the request that waited in Prosody is delivered on Parley once alice is available.
            alice.send("<presence/>");
            Element request = alice.next(e -> "presence".equals(e.getName())
                    && "subscribe".equals(e.attributeValue("type")));
            assertThat(request.attributeValue("from")).isEqualTo("carol@" + DOMAIN);
        }
    }

    /**
     * The other way: Parley's export as one file per account ({@code parley export DIR}, the
     * layout of Prosody's xep0227 store) is read by {@code prosody-migrator} into a fresh Prosody,
     * where the user logs in with her password (SCRAM-SHA-1 from Parley's credentials) and finds
     * her roster, vCard and private XML.
     */
    @Test
    void parleysExportMovesToProsody(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        Path source = dir.resolve("source.xml");
        Files.writeString(source, "<server-data xmlns='urn:xmpp:pie:0'><host jid='" + DOMAIN + "'>"
                + "<user name='alice' password='alice-secret'><query xmlns='jabber:iq:roster'><item jid='bob@" + DOMAIN
                + "' name='Bobby' subscription='both'><group>Friends</group></item></query>"
                + "<vCard xmlns='vcard-temp'><FN>Alice Liddell</FN></vCard><query xmlns='jabber:iq:private'>"
                + "<storage xmlns='storage:rosternotes'><note jid='hatter@" + DOMAIN + "'>tea</note></storage></query>"
                + "</user></host></server-data>");
        Path export = Files.createDirectories(dir.resolve("export"));
        try (MigrationTarget parley = new MigrationTarget(dir.resolve("parley"), DOMAIN)) {
            assertThat(parley.importFrom(source).get(0)).isEqualTo("0");
            List<String> exported = parley.parley("export", export.toString());
            assertThat(exported.get(0)).as("%s", exported).isEqualTo("0");
        }
        assertThat(export.resolve("alice@" + DOMAIN + ".xml")).isRegularFile();

        PeerScripts scripts = new PeerScripts(dir).with("PROSODY_AUTH", "internal_hashed")
                .with("PROSODY_VCARD", "vcard").with("PROSODY_LOGLEVEL", "warn");
        scripts.run("prosody-xep0227.sh", "import", DOMAIN, export.toString());
        scripts.run("start-prosody.sh", DOMAIN, ADDRESS);
        try (SocketClient alice = new SocketClient(ADDRESS, 5222)) {
            alice.bind("alice@" + DOMAIN, "alice-secret", "moved", ScramHash.SHA_1);
            MigrationTarget.checkMovedData(alice, DOMAIN, "both", "tea");
        } finally {
            scripts.run("stop-prosody.sh", DOMAIN);
        }
    }

    /** Alice's data, set by alice's and carol's clients on the running Prosody (SCRAM-SHA-1, its default). */
    private static void fillProsody() throws Exception {
        try (SocketClient alice = new SocketClient(ADDRESS, 5222)) {
            alice.bind("alice@" + DOMAIN, "alice-secret", "setup", ScramHash.SHA_1);
            setAndWait(alice, "roster", "<query xmlns='jabber:iq:roster'><item jid='bob@" + DOMAIN + "' name='Bobby'>"
                    + "<group>Friends</group></item></query>");
            alice.send("<presence to='bob@" + DOMAIN + "' type='subscribe'/>");
            ping(alice);
            setAndWait(alice, "vcard", "<vCard xmlns='vcard-temp'><FN>Alice Liddell</FN></vCard>");
            setAndWait(alice, "private", "<query xmlns='jabber:iq:private'><storage xmlns='storage:rosternotes'>"
                    + "<note jid='hatter@" + DOMAIN + "'>met at the tea party</note></storage></query>");
        }
        try (SocketClient carol = new SocketClient(ADDRESS, 5222)) {
            carol.bind("carol@" + DOMAIN, "carol-secret", "setup", ScramHash.SHA_1);
            carol.send("<presence to='alice@" + DOMAIN + "' type='subscribe'/>");
            ping(carol);
        }
    }

    /** Prosody handles a session's stanzas in order: once the ping is answered, what came before is stored. */
    private static void ping(SocketClient client) {
        client.send("<iq type='get' id='ping' to='" + DOMAIN + "'><ping xmlns='urn:xmpp:ping'/></iq>");
        client.next(e -> "ping".equals(e.attributeValue("id")));
    }

    private static void setAndWait(SocketClient client, String id, String payload) {
        client.send("<iq type='set' id='" + id + "'>" + payload + "</iq>");
        Element result = client.next(e -> id.equals(e.attributeValue("id")));
        assertThat(result.attributeValue("type")).as("%s", result.asXML()).isEqualTo("result");
    }
}
