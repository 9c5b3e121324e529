package im.parley.server.modules.sm;

import static im.parley.server.modules.sm.SmClients.SM;
import static im.parley.server.modules.sm.SmClients.bodies;
import static im.parley.server.modules.sm.SmClients.parse;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.c2s.C2sSession;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/** XEP-0198 stream management through the whole server (TestServer fixture), as scripts. */
class StreamManagementTest {

    private static final String PHONE = "juliet@example.org/phone";

    @TempDir
    Path dir;
    private TestServer server;
    private final List<SessionEvents.Hibernation> hibernations = new ArrayList<>();
    private final List<SessionEvents.QueuedStanza> queued = new ArrayList<>();
    private final List<Object> resumed = new ArrayList<>();

    /** Acks are requested only when a test asks for it, so that outputs are exact. */
    private void start(UnaryOperator<ParleyConfig> sm) throws Exception {
        server = new TestServer(sm.apply(ParleyConfig.defaults().withDomains(List.of("example.org")).withDataDir(dir)
                .with(StreamManagementModule.REQUEST_ACK_EVERY, 1000)
                .with(StreamManagementModule.REQUEST_ACK_DELAY, Duration.ofDays(1))));
        server.user("romeo@example.org").user("juliet@example.org").user("iago@example.org");
        server.events().hook(SessionEvents.HIBERNATED, 0, h -> add(hibernations, h));
        server.events().hook(SessionEvents.STANZA_QUEUED, 0, q -> add(queued, q));
        server.events().hook(SessionEvents.RESUMED, 0, s -> add(resumed, s));
    }

    private void start() throws Exception {
        start(UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void offeredAfterAuthenticationWithBinding() throws Exception {
        // XEP-0198 §2: "the receiving entity ... MUST include a <sm/> element in the stream features" after SASL.
        start();
        String features = SmClients.authenticate(server.connect(), "juliet@example.org");
        assertThat(features).contains("urn:ietf:params:xml:ns:xmpp-bind").contains(SM);
    }

    @Test
    void notOfferedWhenDisabled() throws Exception {
        start(sm -> sm.with(StreamManagementModule.ENABLED, false));
        assertThat(SmClients.authenticate(server.connect(), "juliet@example.org")).doesNotContain(SM);
    }

    @Test
    void enableBeforeBindingFails() throws Exception {
        // XEP-0198 §3: "the client MUST NOT attempt to enable stream management until after it has
        // completed Resource Binding"; the server answers <failed/> with <unexpected-request/>.
        start();
        TestClient client = server.connect();
        SmClients.authenticate(client, "juliet@example.org");
        String out = client.send("<enable xmlns='" + SM + "'/>");
        assertThat(out).contains("<failed").contains("unexpected-request");
    }

    @Test
    void enabledWithResumptionAndTheClientsMax() throws Exception {
        // XEP-0198 §3: <enabled id resume max/>; the server keeps the shorter of its window and the client's max.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        Element enabled = parse(phone.send("<enable xmlns='" + SM + "' resume='true' max='60'/>")).get(0);
        assertThat(enabled.getName()).isEqualTo("enabled");
        assertThat(enabled.attributeValue("resume")).isEqualTo("true");
        assertThat(enabled.attributeValue("max")).isEqualTo("60");
        assertThat(enabled.attributeValue("id")).isNotBlank();
        // Twice is an error (§3).
        assertThat(phone.send("<enable xmlns='" + SM + "'/>")).contains("<failed").contains("unexpected-request");
    }

    @Test
    void enabledWithoutResumptionHasNoId() throws Exception {
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        Element enabled = parse(phone.send("<enable xmlns='" + SM + "'/>")).get(0);
        assertThat(enabled.attributeValue("id")).isNull();
        assertThat(enabled.attributeValue("resume")).isNull();
    }

    @Test
    void acksBeforeEnablingAreNotUnderstood() throws Exception {
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        assertThat(phone.send("<r xmlns='" + SM + "'/>")).contains("unsupported-stanza-type");
        assertThat(phone.isOpen()).isFalse();
    }

    @Test
    void countsHandledStanzas() throws Exception {
        // XEP-0198 §4: <a h/> answers <r/> with the count of stanzas handled since <enable/>;
        // <enable/> and <r/> are not stanzas and are not counted. Stanzas answered with an error count.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<enable xmlns='" + SM + "'/>");
        assertThat(phone.send("<r xmlns='" + SM + "'/>")).contains("h='0'");
        phone.send("<presence/>");
        phone.send("<message to='romeo@example.org' type='chat'><body>hi</body></message>");
        phone.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
        phone.send("<message to='not a jid@@' type='chat'><body>bad address, still handled</body></message>");
        phone.output();
        Element a = parse(phone.send("<r xmlns='" + SM + "'/>")).get(0);
        assertThat(a.getName()).isEqualTo("a");
        assertThat(a.attributeValue("h")).isEqualTo("4");
    }

    @Test
    void acksDropAcknowledgedStanzas() throws Exception {
        // XEP-0198 §4: the server keeps what it sent until the client acknowledges it.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<enable xmlns='" + SM + "' resume='true'/>");
        TestClient romeo = server.login("romeo@example.org", "orchard");
        for (int i = 1; i <= 3; i++) {
            romeo.send(message(PHONE, "m" + i));
        }
        assertThat(bodies(phone.stanzas())).containsExactly("m1", "m2", "m3");
        assertThat(managed(PHONE).unackedCount()).isEqualTo(3);
        phone.send("<a xmlns='" + SM + "' h='2'/>");
        assertThat(managed(PHONE).unackedCount()).isEqualTo(1);
        phone.send("<a xmlns='" + SM + "' h='3'/>");
        assertThat(managed(PHONE).unackedCount()).isZero();
        assertThat(phone.isOpen()).isTrue();
    }

    @Test
    void anAckForMoreThanWasSentIsAStreamError() throws Exception {
        // XEP-0198 §4 / §6: <undefined-condition/> with <handled-count-too-high h send-count/>.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<enable xmlns='" + SM + "'/>");
        TestClient romeo = server.login("romeo@example.org", "orchard");
        romeo.send(message(PHONE, "only one"));
        phone.output();
        String out = phone.send("<a xmlns='" + SM + "' h='5'/>");
        Element error = parse(out).stream().filter(e -> "error".equals(e.getName())).findFirst().orElseThrow();
        assertThat(error.element("undefined-condition")).isNotNull();
        Element tooHigh = error.element("handled-count-too-high");
        assertThat(tooHigh.getNamespaceURI()).isEqualTo(SM);
        assertThat(tooHigh.attributeValue("h")).isEqualTo("5");
        assertThat(tooHigh.attributeValue("send-count")).isEqualTo("1");
        assertThat(phone.isOpen()).isFalse();
        // The stream died with an error: no hibernation; the unacknowledged message is kept offline.
        assertThat(server.sessions().isBound(jid(PHONE))).isFalse();
        assertThat(server.storage().offline().count(bare("juliet@example.org"))).isEqualTo(1);
    }

    @Test
    void requestsAnAckAfterSomeStanzas() throws Exception {
        // XEP-0198 §4: the server may send <r/> whenever it likes; here every 2 stanzas.
        start(sm -> sm.with(StreamManagementModule.REQUEST_ACK_EVERY, 2));
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<enable xmlns='" + SM + "'/>");
        TestClient romeo = server.login("romeo@example.org", "orchard");
        romeo.send(message(PHONE, "m1"));
        assertThat(phone.output()).doesNotContain("<r ");
        romeo.send(message(PHONE, "m2"));
        List<Element> out = phone.stanzas();
        assertThat(out.get(out.size() - 1).getName()).isEqualTo("r");
    }

    @Test
    void requestsAnAckAfterADelay() throws Exception {
        start(sm -> sm.with(StreamManagementModule.REQUEST_ACK_DELAY, Duration.ofSeconds(30)));
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.channel().freezeTime();
        phone.send("<enable xmlns='" + SM + "'/>");
        server.login("romeo@example.org", "orchard").send(message(PHONE, "m1"));
        assertThat(phone.output()).doesNotContain("<r ");
        phone.channel().advanceTimeBy(30, TimeUnit.SECONDS);
        assertThat(phone.output()).contains("<r xmlns='" + SM + "'");
    }

    @Test
    void aLostConnectionHibernatesTheSession() throws Exception {
        // XEP-0198 §5: the session stays; presence is unchanged (no unavailable), stanzas are queued.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        SmClients.enableResumption(phone);
        TestClient desk = server.login("juliet@example.org", "desk");
        desk.send("<presence/>");
        desk.output();
        lose(phone);
        assertThat(server.sessions().find(jid(PHONE))).get().matches(s -> s.isAvailable());
        assertThat(desk.stanzas()).noneMatch(e -> "unavailable".equals(e.attributeValue("type")));
        assertThat(hibernations).singleElement().satisfies(h -> {
            assertThat((Object) h.session().jid()).isEqualTo(jid(PHONE));
            assertThat(h.isActive()).isTrue();
            assertThat(h.expiresAt()).isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
        });
        TestClient romeo = server.login("romeo@example.org", "orchard");
        romeo.send(message(PHONE, "while away"));
        assertThat(queued).singleElement().satisfies(q -> {
            assertThat(q.isMessageWithBody()).isTrue();
            assertThat(q.hibernation()).isSameAs(hibernations.get(0));
        });
        assertThat(managed(PHONE).queuedCount()).isEqualTo(1);
        assertThat(romeo.received()).isEmpty();  // no bounce
    }

    @Test
    void resumptionFromANewConnectionDeliversEveryMessageOnce() throws Exception {
        // XEP-0198 §5: <resume previd h/> after SASL; <resumed previd h/>; the server resends what
        // the client did not acknowledge, then what was queued.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        String id = SmClients.enableResumption(phone);
        TestClient romeo = server.login("romeo@example.org", "orchard");
        romeo.send(message(PHONE, "m1"));
        romeo.send(message(PHONE, "m2"));
        assertThat(bodies(phone.stanzas())).containsExactly("m1", "m2");
        phone.send("<a xmlns='" + SM + "' h='1'/>");
        lose(phone);
        romeo.send(message(PHONE, "m3"));

        TestClient again = server.connect();
        SmClients.authenticate(again, "juliet@example.org");
        List<Element> out = parse(again.send("<resume xmlns='" + SM + "' previd='" + id + "' h='1'/>"));
        assertThat(out.get(0).getName()).isEqualTo("resumed");
        assertThat(out.get(0).attributeValue("previd")).isEqualTo(id);
        assertThat(out.get(0).attributeValue("h")).isEqualTo("0");  // <presence/> came before <enable/>
        assertThat(bodies(out)).containsExactly("m2", "m3");
        assertThat(resumed).hasSize(1);
        assertThat(hibernations.get(0).isActive()).isFalse();

        // The stream goes on as the resumed session: same full JID, counts carried over.
        again.send(message("romeo@example.org/orchard", "back"));
        assertThat(romeo.received()).singleElement().satisfies(m ->
                assertThat(m.attributeValue("from")).isEqualTo(PHONE));
        assertThat(again.send("<r xmlns='" + SM + "'/>")).contains("h='1'");
        again.send("<a xmlns='" + SM + "' h='3'/>");
        assertThat(again.isOpen()).isTrue();
        assertThat(managed(PHONE).unackedCount()).isZero();
        romeo.send(message(PHONE, "m4"));
        assertThat(bodies(again.stanzas())).containsExactly("m4");
        assertThat(server.storage().offline().count(bare("juliet@example.org"))).isZero();
    }

    @Test
    void aConnectedSessionCanBeTakenOver() throws Exception {
        // XEP-0198 §5: the old connection may not have noticed yet that it is dead.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        String id = SmClients.enableResumption(phone);
        TestClient romeo = server.login("romeo@example.org", "orchard");
        romeo.send(message(PHONE, "m1"));
        TestClient again = server.connect();
        SmClients.authenticate(again, "juliet@example.org");
        List<Element> out = parse(again.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>"));
        assertThat(out.get(0).getName()).isEqualTo("resumed");
        assertThat(bodies(out)).containsExactly("m1");
        phone.output();
        assertThat(phone.isOpen()).isFalse();
        assertThat(server.sessions().isBound(jid(PHONE))).isTrue();
        romeo.send(message(PHONE, "m2"));
        assertThat(bodies(again.stanzas())).containsExactly("m2");
    }

    @Test
    void onlyTheOwningAccountMayResume() throws Exception {
        // XEP-0198 §5: the server checks that the resuming entity is the one the session belongs to.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        String id = SmClients.enableResumption(phone);
        lose(phone);
        TestClient iago = server.connect();
        SmClients.authenticate(iago, "iago@example.org");
        String out = iago.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
        assertThat(out).contains("<failed").contains("item-not-found");
        assertThat(managed(PHONE).isHibernated()).isTrue();
        // The stream may still bind a resource of its own.
        assertThat(iago.send("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>"))
                .contains("iago@example.org/");
    }

    @Test
    void unknownOrForgedIdsAreNotFound() throws Exception {
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        String id = SmClients.enableResumption(phone);
        lose(phone);
        for (String previd : List.of("nonsense", "x." + id.substring(id.indexOf('.') + 1), id + "x")) {
            TestClient other = server.connect();
            SmClients.authenticate(other, "juliet@example.org");
            assertThat(other.send("<resume xmlns='" + SM + "' previd='" + previd + "' h='0'/>"))
                    .contains("<failed").contains("item-not-found");
        }
    }

    @Test
    void resumingWithTooHighACountIsAnError() throws Exception {
        // XEP-0198 §6: handled-count-too-high; the hibernated session keeps waiting.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        String id = SmClients.enableResumption(phone);
        lose(phone);
        TestClient again = server.connect();
        SmClients.authenticate(again, "juliet@example.org");
        String out = again.send("<resume xmlns='" + SM + "' previd='" + id + "' h='7'/>");
        assertThat(out).contains("undefined-condition").contains("handled-count-too-high");
        assertThat(managed(PHONE).isHibernated()).isTrue();
    }

    @Test
    void whenTheWindowEndsUnackedAndQueuedMessagesGoOffline() throws Exception {
        // XEP-0198 §5: "the server SHOULD treat unacknowledged stanzas in the same way that it would
        // treat a stanza sent to an unavailable resource" — here, offline storage (XEP-0160).
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        SmClients.enableResumption(phone);
        TestClient romeo = server.login("romeo@example.org", "orchard");
        romeo.send(message(PHONE, "m1"));
        romeo.send(message("juliet@example.org", "m2"));
        phone.send("<a xmlns='" + SM + "' h='1'/>");  // m1 was read; m2 was not
        phone.channel().freezeTime();
        lose(phone);
        romeo.send(message(PHONE, "m3"));
        romeo.send("<message to='" + PHONE + "' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/>"
                + "</message>");

        phone.channel().advanceTimeBy(299, TimeUnit.SECONDS);
        phone.channel().runPendingTasks();
        assertThat(server.sessions().isBound(jid(PHONE))).isTrue();
        phone.channel().advanceTimeBy(1, TimeUnit.SECONDS);
        phone.channel().runPendingTasks();

        assertThat(server.sessions().isBound(jid(PHONE))).isFalse();
        assertThat(hibernations.get(0).isActive()).isFalse();
        assertThat(server.storage().offline().count(bare("juliet@example.org"))).isEqualTo(2);
        // The messages were stored, not bounced; the chat state alone is answered as for any
        // unavailable resource (offline storage keeps only messages worth keeping, XEP-0160 §3).
        assertThat(romeo.received()).noneMatch(e -> e.element("body") != null);

        TestClient next = server.login("juliet@example.org", "laptop");
        assertThat(bodies(parse(next.send("<presence/>")))).containsExactly("m2", "m3");
    }

    /**
     * XEP-0198 §5 treats unacknowledged stanzas as sent to an unavailable resource, but a carbon
     * copy (XEP-0280 §6, §7) is not a message to the account: it is this session's copy of a
     * message that went to its recipient (and to the archive, XEP-0313). Stored offline it came
     * back to the account's next session as a second copy, to the bare JID, and a client
     * (profanity) took it for a new conversation. Dropped now, as Prosody's and ejabberd's
     * stream management drop it; the message itself is delivered as before.
     */
    @Test
    void anUnacknowledgedCarbonCopyIsNotStoredOffline() throws Exception {
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        phone.send("<enable xmlns='" + SM + "'/>");
        phone.send("<iq type='set' id='carbons'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
        TestClient laptop = server.login("juliet@example.org", "laptop");
        TestClient romeo = server.login("romeo@example.org", "orchard");
        romeo.send("<presence/>");
        phone.output();

        laptop.send(message("romeo@example.org/orchard", "sent from the laptop"));
        String carbon = phone.output();
        assertThat(carbon).contains("<sent xmlns='urn:xmpp:carbons:2'>").contains("sent from the laptop");
        phone.send("</stream:stream>");

        assertThat(server.sessions().isBound(jid(PHONE))).isFalse();
        assertThat(bodies(parse(romeo.output()))).containsExactly("sent from the laptop");
        assertThat(server.storage().offline().count(bare("juliet@example.org"))).isZero();
    }

    @Test
    void whenTheWindowEndsOtherResourcesSeeUnavailableAndGetTheMessages() throws Exception {
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        SmClients.enableResumption(phone);
        TestClient desk = server.login("juliet@example.org", "desk");
        desk.send("<presence/>");
        phone.channel().freezeTime();
        lose(phone);
        server.login("romeo@example.org", "orchard").send(message(PHONE, "for the phone"));
        desk.output();
        phone.channel().advanceTimeBy(5, TimeUnit.MINUTES);
        phone.channel().runPendingTasks();
        List<Element> out = desk.stanzas();
        // RFC 6121 §4.5.2 through SessionEvents.CLOSED, then the message rerouted to the bare JID.
        assertThat(out).anyMatch(e -> "presence".equals(e.getName()) && "unavailable".equals(e.attributeValue("type"))
                && PHONE.equals(e.attributeValue("from")));
        assertThat(bodies(out)).containsExactly("for the phone");
    }

    @Test
    void aPushModuleCanExtendTheWindow() throws Exception {
        // XEP-0357 servers keep sessions longer when a push went out (Prosody, ejabberd: up to 72 h).
        start(sm -> sm.with(StreamManagementModule.MAX_HIBERNATION, Duration.ofHours(2)));
        TestClient phone = server.login("juliet@example.org", "phone");
        SmClients.enableResumption(phone);
        phone.channel().freezeTime();
        lose(phone);
        SessionEvents.Hibernation hibernation = hibernations.get(0);
        assertThat(hibernation.extend(Duration.ofHours(1))).isTrue();
        assertThat(hibernation.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        phone.channel().advanceTimeBy(30, TimeUnit.MINUTES);
        phone.channel().runPendingTasks();
        assertThat(hibernation.isActive()).isTrue();
        assertThat(hibernation.extend(Duration.ofDays(30))).isTrue();  // capped at max_hibernation
        assertThat(hibernation.expiresAt()).isBefore(Instant.now().plus(Duration.ofHours(2).plusMinutes(1)));
        phone.channel().advanceTimeBy(2, TimeUnit.HOURS);
        phone.channel().runPendingTasks();
        assertThat(hibernation.isActive()).isFalse();
        assertThat(server.sessions().isBound(jid(PHONE))).isFalse();
        assertThat(hibernation.extend(Duration.ofHours(1))).isFalse();
    }

    @Test
    void aCleanCloseDoesNotHibernate() throws Exception {
        // XEP-0198 §5: resumption is for lost connections; a closed stream ends the session.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        SmClients.enableResumption(phone);
        phone.send("</stream:stream>");
        lose(phone);
        assertThat(server.sessions().isBound(jid(PHONE))).isFalse();
        assertThat(hibernations).isEmpty();
    }

    @Test
    void unavailableThenLostDoesNotHibernate() throws Exception {
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        SmClients.enableResumption(phone);
        phone.send("<presence type='unavailable'/>");
        lose(phone);
        assertThat(server.sessions().isBound(jid(PHONE))).isFalse();
        assertThat(hibernations).isEmpty();
    }

    @Test
    void withoutResumptionALostConnectionEndsTheSession() throws Exception {
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<enable xmlns='" + SM + "'/>");
        lose(phone);
        assertThat(server.sessions().isBound(jid(PHONE))).isFalse();
    }

    @Test
    void tooManyQueuedStanzasEndTheHibernation() throws Exception {
        start(sm -> sm.with(StreamManagementModule.MAX_UNACKED, 2));
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        SmClients.enableResumption(phone);
        lose(phone);
        TestClient romeo = server.login("romeo@example.org", "orchard");
        romeo.send(message(PHONE, "m1"));
        romeo.send(message(PHONE, "m2"));
        assertThat(server.sessions().isBound(jid(PHONE))).isTrue();
        romeo.send(message(PHONE, "m3"));
        assertThat(server.sessions().isBound(jid(PHONE))).isFalse();
        assertThat(server.storage().offline().count(bare("juliet@example.org"))).isEqualTo(3);
    }

    @Test
    void aNewBindingOfTheSameResourceReplacesAHibernatedSession() throws Exception {
        // RFC 6120 §7.7.2.2: the new session wins; what the old one did not deliver goes to the account.
        start();
        TestClient phone = server.login("juliet@example.org", "phone");
        SmClients.enableResumption(phone);
        server.login("romeo@example.org", "orchard").send(message(PHONE, "m1"));
        lose(phone);
        TestClient again = server.login("juliet@example.org", "phone");
        assertThat(managed(PHONE)).isNull();
        assertThat(server.storage().offline().count(bare("juliet@example.org"))).isEqualTo(1);
        String out = again.send("<presence/>");
        assertThat(bodies(parse(out))).as(out).containsExactly("m1");
    }

    /**
     * The connection is lost. Not {@link TestClient#drop()}: an {@code EmbeddedChannel}'s own
     * close cancels the timers of its event loop, which a real event loop keeps running; the
     * hibernation timer is one of them.
     */
    private static void lose(TestClient client) {
        client.channel().pipeline().close();
        client.channel().runPendingTasks();
    }

    private static String message(String to, String body) {
        return "<message to='" + to + "' type='chat'><body>" + body + "</body></message>";
    }

    private ManagedSession managed(String fullJid) {
        return server.sessions().find(jid(fullJid)).map(s -> ((C2sSession) s).interceptor(ManagedSession.class)
                .orElse(null)).orElse(null);
    }

    private static EntityFullJid jid(String full) {
        try {
            return Jids.parse(full).asEntityFullJidIfPossible();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static EntityBareJid bare(String bare) {
        try {
            return Jids.parseEntityBare(bare);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> Verdict add(List<? super T> list, T item) {
        list.add(item);
        return Verdict.PASS;
    }
}
