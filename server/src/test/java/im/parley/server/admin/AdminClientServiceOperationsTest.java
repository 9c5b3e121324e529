package im.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.jid.Jids;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.modules.XmppScript;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.DomainBareJid;

/**
 * The service administration operations of the parley command (XEP-0133's use cases) through the
 * admin socket, on a server with live sessions: what {@code parley disable}, {@code users --online},
 * {@code kick}, {@code announce} and {@code motd} do while the server runs.
 */
class AdminClientServiceOperationsTest {
    @TempDir
    Path dir;
    private TestServer server;
    private AdminSocketServer socket;
    private AdminClient client;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(dir.resolve("server"), "parley.test", "other.test")
                .user("romeo@parley.test").user("juliet@parley.test").user("mercutio@other.test");
        socket = AdminSocketServer.start(dir.resolve("server"), server.accountAdmin()).orElseThrow();
        client = AdminClient.connect(dir.resolve("server")).orElseThrow();
    }

    @AfterEach
    void stop() {
        socket.close();
        server.close();
    }

    @Test
    void disableEndsTheSessionsAndRefusesLoginsUntilEnabled() throws Exception {
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        client.setDisabled(Jids.parseEntityBare("romeo@parley.test"), true);

        assertThat(romeo.output()).containsSubsequence("<not-authorized", "</stream:stream>");
        assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "secret"))
                .contains("<account-disabled");
        assertThat(client.listDisabled(domain("parley.test"))).map(Object::toString).containsExactly("romeo@parley.test");

        client.setDisabled(Jids.parseEntityBare("romeo@parley.test"), false);

        assertThat(client.listDisabled(domain("parley.test"))).isEmpty();
        assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "secret"))
                .contains("<stream:features");
        assertThatThrownBy(() -> client.setDisabled(Jids.parseEntityBare("ghost@parley.test"), true))
                .isInstanceOf(NoSuchAccountException.class);
    }

    @Test
    void onlineUsersAndKickingASessionOrAUser() throws Exception {
        TestClient orchard = server.login("romeo@parley.test", "orchard");
        TestClient garden = server.login("romeo@parley.test", "garden");
        server.login("juliet@parley.test", "balcony");
        server.login("mercutio@other.test", "street");

        assertThat(client.listOnline(domain("parley.test"))).map(Object::toString)
                .containsExactly("juliet@parley.test", "romeo@parley.test");

        assertThat(client.endSessions(Jids.parse("romeo@parley.test/orchard"))).isEqualTo(1);
        assertThat(orchard.isOpen()).isFalse();
        assertThat(garden.isOpen()).isTrue();
        assertThat(client.endSessions(Jids.parse("romeo@parley.test"))).isEqualTo(1);
        assertThat(garden.output()).contains("<policy-violation");
        assertThat(client.listOnline(domain("parley.test"))).map(Object::toString).containsExactly("juliet@parley.test");
    }

    @Test
    void announceReachesTheDomainsSessions() throws Exception {
        TestClient balcony = server.login("juliet@parley.test", "balcony");
        TestClient street = server.login("mercutio@other.test", "street");
        balcony.stanzas();
        street.stanzas();

        assertThat(client.announce(domain("parley.test"), "Going down at noon.")).isEqualTo(1);

        List<Element> received = balcony.stanzas();
        assertThat(received).singleElement().satisfies(message -> {
            assertThat(message.attributeValue("type")).isEqualTo("headline");
            assertThat(message.elementText("body")).isEqualTo("Going down at noon.");
        });
        assertThat(street.stanzas()).isEmpty();
    }

    @Test
    void theMessageOfTheDayIsSetShownAndDeleted() throws Exception {
        assertThat(client.motd(domain("parley.test"))).isEmpty();

        client.setMotd(domain("parley.test"), "Welcome to Verona.", true);

        assertThat(client.motd(domain("parley.test"))).contains("Welcome to Verona.");
        assertThat(client.motd(domain("other.test"))).isEmpty();
        TestClient juliet = server.login("juliet@parley.test", "balcony");
        assertThat(juliet.send("<presence/>")).contains("Welcome to Verona.");
        assertThat(client.deleteMotd(domain("parley.test"))).isTrue();
        assertThat(client.deleteMotd(domain("parley.test"))).isFalse();
    }

    private static DomainBareJid domain(String domain) throws Exception {
        return Jids.parseDomain(domain);
    }
}
