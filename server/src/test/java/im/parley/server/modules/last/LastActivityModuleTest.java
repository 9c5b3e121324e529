package im.parley.server.modules.last;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.server.modules.delivery.DeliveryModule;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestServer;
import im.parley.server.storage.ContactState;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/** Last Activity (XEP-0012), with a clock the test moves. */
class LastActivityModuleTest {

    private static final String LAST = "<query xmlns='jabber:iq:last'/>";

    @TempDir
    Path dir;
    private final MovableClock clock = new MovableClock(Instant.parse("2025-01-01T12:00:00Z"));
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir);
        server = new TestServer(config, clock, ModuleCatalog.of(List.of(new DeliveryModule(), new LastActivityModule())));
        server.user("romeo@parley.test").user("juliet@parley.test");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theServerAnswersItsUptime() {
        // XEP-0012 §5: to a server, the seconds it has been up.
        TestClient romeo = server.login("romeo@parley.test", "orchard");
        clock.advance(Duration.ofSeconds(123));

        Element query = iq(romeo, "<iq type='get' id='u1' to='parley.test'>" + LAST + "</iq>").element("query");

        assertThat(query.attributeValue("seconds")).isEqualTo("123");
        assertThat(query.getText()).isEmpty();
    }

    @Test
    void anOfflineAccountShowsTheSecondsSinceItsLastLogoutAndItsStatus() {
        // XEP-0012 §3: seconds since the last logout, with the status of the unavailable presence.
        TestClient first = server.login("romeo@parley.test", "orchard");
        first.send("<presence/>");
        first.send("<presence type='unavailable'><status>Heading Home</status></presence>");
        first.drop();
        clock.advance(Duration.ofSeconds(903));

        // Connected again but not available: the account has no available resource.
        TestClient romeo = server.login("romeo@parley.test", "garden");
        Element query = iq(romeo, "<iq type='get' id='l1' to='romeo@parley.test'>" + LAST + "</iq>").element("query");

        assertThat(query.attributeValue("seconds")).isEqualTo("903");
        assertThat(query.getText()).isEqualTo("Heading Home");
    }

    @Test
    void onlyTheLastSessionOfAnAccountCountsAsALogout() {
        TestClient orchard = server.login("romeo@parley.test", "orchard");
        TestClient garden = server.login("romeo@parley.test", "garden");
        orchard.drop();
        clock.advance(Duration.ofSeconds(10));
        garden.drop();
        clock.advance(Duration.ofSeconds(5));

        TestClient romeo = server.login("romeo@parley.test", "balcony");
        Element query = iq(romeo, "<iq type='get' id='l2'>" + LAST + "</iq>").element("query");

        assertThat(query.attributeValue("seconds")).isEqualTo("5");
    }

    @Test
    void eachLoginIsRecordedForServiceAdministration_xep0133_4_9() throws Exception {
        // A login is a session bound (RFC 6120 §7); a logout does not change it.
        TestClient orchard = server.login("romeo@parley.test", "orchard");
        clock.advance(Duration.ofMinutes(5));
        server.login("romeo@parley.test", "garden");
        clock.advance(Duration.ofMinutes(5));
        orchard.drop();

        // Written once a second, the newest login of each account (LastActivityModule.LOGIN_WRITES).
        await().atMost(Duration.ofSeconds(10)).until(() -> server.storage().lastActivity()
                .lastLogin(JidCreate.entityBareFrom("romeo@parley.test"))
                .equals(java.util.Optional.of(Instant.parse("2025-01-01T12:05:00Z"))));
        assertThat(server.storage().lastActivity().lastLogin(JidCreate.entityBareFrom("juliet@parley.test"))).isEmpty();
    }

    @Test
    void anAvailableAccountIsZero() {
        // XEP-0012 §3: at least one available resource → seconds='0'.
        TestClient romeo = server.login("romeo@parley.test", "orchard");
        romeo.send("<presence/>");
        romeo.stanzas();
        clock.advance(Duration.ofSeconds(60));

        Element query = iq(romeo, "<iq type='get' id='l3' to='romeo@parley.test'>" + LAST + "</iq>").element("query");

        assertThat(query.attributeValue("seconds")).isEqualTo("0");
    }

    @Test
    void aContactSubscribedToThePresenceSeesTheLastLogoutAndOthersAreForbidden() throws Exception {
        // XEP-0012 §3: only entities allowed to see the account's presence (RFC 6121 §3).
        TestClient first = server.login("romeo@parley.test", "orchard");
        first.send("<presence/>");
        first.drop();
        clock.advance(Duration.ofSeconds(42));
        TestClient juliet = server.login("juliet@parley.test", "balcony");
        String lastOfRomeo = "<iq type='get' id='l4' to='romeo@parley.test'>" + LAST + "</iq>";
        assertThat(condition(iq(juliet, lastOfRomeo))).as("no subscription").isEqualTo("forbidden");

        subscribe("romeo@parley.test", "juliet@parley.test", Subscription.TO);
        assertThat(condition(iq(juliet, lastOfRomeo))).as("Romeo gets Juliet's presence, not she his")
                .isEqualTo("forbidden");

        subscribe("romeo@parley.test", "juliet@parley.test", Subscription.BOTH);
        assertThat(iq(juliet, lastOfRomeo).element("query").attributeValue("seconds")).isEqualTo("42");
    }

    /** {@code owner}'s roster item for {@code contact} with this subscription. */
    private void subscribe(String owner, String contact, Subscription subscription) throws Exception {
        BareJid contactJid = JidCreate.bareFrom(contact);
        server.storage().rosters().update(JidCreate.entityBareFrom(owner), contactJid, state -> new ContactState(
                Optional.of(new RosterItem(contactJid, null, Set.of(), subscription, false, false)), Optional.empty()));
    }

    @Test
    void noRecordedLogoutIsItemNotFound() {
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        assertThat(condition(iq(romeo, "<iq type='get' id='l5'>" + LAST + "</iq>"))).isEqualTo("item-not-found");
    }
}
