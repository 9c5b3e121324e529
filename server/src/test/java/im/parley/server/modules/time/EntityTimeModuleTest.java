package im.parley.server.modules.time;

import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.modules.delivery.DeliveryModule;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entity Time (XEP-0202). */
class EntityTimeModuleTest {

    @Test
    void answersUtcAndTheZoneOffsetInXep0082Format(@TempDir Path dir) throws Exception {
        // XEP-0202 §2 with the values of its example: tzo -06:00, utc 2006-12-19T17:58:35Z.
        Clock clock = Clock.fixed(Instant.parse("2006-12-19T17:58:35.123Z"), ZoneId.of("America/Chicago"));
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir);
        try (TestServer server = new TestServer(config, clock, ModuleCatalog.of(List.of(new DeliveryModule(), new EntityTimeModule())))) {
            TestClient romeo = server.user("romeo@parley.test").login("romeo@parley.test", "orchard");

            Element time = iq(romeo, "<iq type='get' id='t1' to='parley.test'><time xmlns='urn:xmpp:time'/></iq>")
                    .element("time");

            assertThat(time.elementText("tzo")).isEqualTo("-06:00");
            assertThat(time.elementText("utc")).isEqualTo("2006-12-19T17:58:35Z");
        }
    }

    @Test
    void utcItselfIsWrittenAsAnOffset() {
        assertThat(EntityTimeModule.tzo(ZoneOffset.UTC)).isEqualTo("+00:00");
        assertThat(EntityTimeModule.tzo(ZoneOffset.ofHoursMinutes(5, 30))).isEqualTo("+05:30");
    }
}
