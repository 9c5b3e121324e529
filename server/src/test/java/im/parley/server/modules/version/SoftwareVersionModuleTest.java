package im.parley.server.modules.version;

import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.ParleyServer;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Software Version (XEP-0092). */
class SoftwareVersionModuleTest {

    @Test
    void theServerGivesNameAndVersionButNoOperatingSystem(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(dir, "parley.test")) {
            TestClient romeo = server.user("romeo@parley.test").login("romeo@parley.test", "orchard");

            // XEP-0092 §2: name and version are required, os optional (§5: may help attackers).
            Element query = iq(romeo, "<iq type='get' id='v1' to='parley.test'><query xmlns='jabber:iq:version'/></iq>")
                    .element("query");

            assertThat(query.elementText("name")).isEqualTo("Parley");
            assertThat(query.elementText("version")).isEqualTo(ParleyServer.VERSION);
            assertThat(query.element("os")).isNull();
        }
    }
}
