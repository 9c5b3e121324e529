package im.parley.server.modules.muc;

import static im.parley.server.modules.XmppScript.iq;
import static im.parley.server.modules.muc.MucScript.ADMIN;
import static im.parley.server.modules.muc.MucScript.createReserved;
import static im.parley.server.modules.muc.MucScript.item;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
import static im.parley.server.modules.muc.MucScript.named;
import static im.parley.server.modules.muc.MucScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle persistent rooms leave memory ({@code muc.unload_after}) and come back from the database
 * on the next stanza with all a persistent room keeps (XEP-0045 §10.2 configuration, §5.2
 * affiliations, §7.10 registered nicknames, §8.1 subject, the XEP-0313 archive) and the history
 * a newcomer gets (§7.2.14, from the archive).
 */
class MucUnloadTest {

    private static final String ROOM = "garden@conference.parley.test";

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MucModule muc = new MucModule();
    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir)
                .with(MucModule.UNLOAD_AFTER, Duration.ofMinutes(10)), clock,
                ModuleCatalog.of(TestServer.discoveredModulesReplacing(MucModule.class, muc)));
        server.user("romeo@parley.test").user("juliet@parley.test");
        romeo = server.login("romeo@parley.test", "garden");
        juliet = server.login("juliet@parley.test", "balcony");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anIdleRoomUnloadsAndComesBackAsItWas() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1",
                "muc#roomconfig_roomname", "The Garden", "muc#roomconfig_moderatedroom", "1");
        iq(romeo, "<iq type='set' id='m' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member' jid='juliet@parley.test'/></query></iq>");
        Instant subjectSet = clock.instant();
        send(romeo, "<message type='groupchat' to='" + ROOM + "'><subject>Roses</subject></message>");
        send(romeo, "<message type='groupchat' to='" + ROOM + "'><body>What light</body></message>");
        send(romeo, "<presence type='unavailable' to='" + ROOM + "/romeo'/>");
        assertThat(muc.loadedRooms()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(9));
        assertThat(muc.unloadIdle()).as("not idle long enough").isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(muc.unloadIdle()).isEqualTo(1);
        assertThat(muc.loadedRooms()).isZero();

        // The next stanza loads it: history (from the archive), subject, membership, configuration.
        List<Element> joined = join(juliet, ROOM + "/juliet", "");
        assertThat(muc.loadedRooms()).isEqualTo(1);
        Element self = named(joined, "presence").get(0);
        assertThat(item(self).attributeValue("affiliation")).isEqualTo("member");
        assertThat(item(self).attributeValue("role")).as("a member speaks in a moderated room").isEqualTo("participant");
        List<Element> messages = named(joined, "message");
        assertThat(messages.get(0).elementText("body")).isEqualTo("What light");
        assertThat(messages.get(0).element(QName.get("delay", "urn:xmpp:delay"))).isNotNull();
        assertThat(last(joined, "message").elementText("subject")).isEqualTo("Roses");
        // The subject's time is stored with it (XEP-0045 §7.2.15 <delay/>).
        assertThat(Instant.parse(last(joined, "message").element(QName.get("delay", "urn:xmpp:delay"))
                .attributeValue("stamp"))).isEqualTo(subjectSet);
        assertThat(MucScript.roomFeatures(juliet, ROOM)).contains("muc_persistent", "muc_moderated", "urn:xmpp:mam:2");
        Element archive = last(send(juliet, "<iq type='set' id='q' to='" + ROOM + "'><query xmlns='urn:xmpp:mam:2'/>"
                + "</iq>"), "iq").element("fin");
        assertThat(archive.element("set").elementText("count")).isEqualTo("1");
    }

    @Test
    void aRoomWithOccupantsOrInUseStays() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        clock.advance(Duration.ofHours(1));
        assertThat(muc.unloadIdle()).as("romeo is in it").isZero();

        send(romeo, "<presence type='unavailable' to='" + ROOM + "/romeo'/>");
        clock.advance(Duration.ofMinutes(5));
        iq(juliet, "<iq type='get' id='d' to='" + ROOM + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        clock.advance(Duration.ofMinutes(6));
        assertThat(muc.unloadIdle()).as("a query five minutes ago used it").isZero();
        assertThat(muc.loadedRooms()).isEqualTo(1);
    }
}
