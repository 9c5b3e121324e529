package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.config.StorageConfig;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server, with every module on the class path, on PostgreSQL: the core's and each
 * module's migrations run on an empty database, a session's everyday stanzas go through the
 * stores, and a restarted server finds the data without migrating again.
 */
class ServerOnPostgresTest {
    @TempDir
    Path dataDir;
    private PostgresCluster cluster;
    private String url;

    @BeforeEach
    void createDatabase() throws Exception {
        cluster = PostgresCluster.shared();
        url = cluster.createDatabase();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        cluster.dropDatabase(url);
    }

    @Test
    void rosterOfflineMessagesVcardAndArchiveLiveInPostgresqlAcrossARestart() throws Exception {
        try (TestServer server = server()) {
            server.user("romeo@parley.test").user("juliet@parley.test");
            TestClient juliet = online(server, "juliet@parley.test", "balcony");

            // RFC 6121 §2.3: a roster set is answered, and pushed.
            List<Element> rosterSet = sends(juliet, "<iq type='set' id='r1'><query xmlns='jabber:iq:roster'>"
                    + "<item jid='romeo@parley.test' name='Romeo'><group>Montague</group></item></query></iq>");
            assertThat(rosterSet).anySatisfy(e -> assertThat(e.attributeValue("id")).isEqualTo("r1"));
            // XEP-0054 §3.2: the vCard is stored.
            assertThat(sends(juliet, "<iq type='set' id='v1'><vCard xmlns='vcard-temp'><FN>Juliet</FN></vCard></iq>"))
                    .anySatisfy(e -> assertThat(e.attributeValue("type")).isEqualTo("result"));
            // XEP-0160 §2: Romeo is offline, the message is stored.
            sends(juliet, "<message to='romeo@parley.test' type='chat' id='m1'><body>Wherefore art thou</body></message>");
            assertThat(server.storage().offline().count(StoreContract.jid("romeo@parley.test"))).isEqualTo(1);
        }

        try (TestServer server = server()) {
            TestClient romeo = server.login("romeo@parley.test", "orchard");
            romeo.received();
            List<Element> arrived = sends(romeo, "<presence/>");
            assertThat(arrived).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("message");
                assertThat(e.elementText("body")).isEqualTo("Wherefore art thou");
            });

            TestClient juliet = online(server, "juliet@parley.test", "balcony");
            String roster = juliet.send("<iq type='get' id='r2'><query xmlns='jabber:iq:roster'/></iq>");
            assertThat(roster).contains("romeo@parley.test").contains("<group>Montague</group>");
            assertThat(juliet.send("<iq type='get' id='v2'><vCard xmlns='vcard-temp'/></iq>")).contains("<FN>Juliet</FN>");
            // XEP-0313 §4: the message is in Juliet's archive.
            assertThat(juliet.send("<iq type='set' id='q'><query xmlns='urn:xmpp:mam:2'/></iq>"))
                    .contains("Wherefore art thou");
        }
    }

    private TestServer server() throws Exception {
        StorageConfig storage = new StorageConfig(url, PostgresCluster.ROLE, cluster.rolePassword()).withPoolSize(4);
        return new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dataDir)
                .withStorage(storage));
    }

    private static TestClient online(TestServer server, String jid, String resource) {
        TestClient client = server.login(jid, resource);
        sends(client, "<presence/>");
        return client;
    }

    private static List<Element> sends(TestClient client, String xml) {
        client.received();
        client.channel().writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        return client.stanzas();
    }
}
