package im.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: accounts in H2, SCRAM login, binding, a message between two clients. */
class TestServerTest {

    @Test
    void twoClientsExchangeAMessage(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(dir, "parley.test")) {
            server.user("romeo@parley.test").user("juliet@parley.test");
            TestClient romeo = server.login("romeo@parley.test", "orchard");
            TestClient juliet = server.login("juliet@parley.test", "balcony");

            romeo.send("<message to='juliet@parley.test/balcony' type='chat'><body>hi</body></message>");

            assertThat(juliet.stanzas()).singleElement().satisfies((Element m) -> {
                assertThat(m.getName()).isEqualTo("message");
                assertThat(m.attributeValue("from")).isEqualTo("romeo@parley.test/orchard");
                assertThat(m.elementText("body")).isEqualTo("hi");
            });
        }
    }
}
