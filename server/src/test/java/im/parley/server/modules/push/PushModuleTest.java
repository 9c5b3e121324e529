package im.parley.server.modules.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import im.parley.core.jid.Jids;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.modules.sm.SmClients;
import im.parley.server.storage.PushRegistration;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XEP-0357 push notifications through the whole server (TestServer fixture). The app server is
 * played by a local account's resource ({@code appsrv@example.org/push}): XEP-0357 lets the app
 * server be any JID, and this one sees the publish requests and answers them like a component.
 */
class PushModuleTest {

    private static final String APP = "appsrv@example.org/push";
    private static final String SECRET_FORM = "<x xmlns='jabber:x:data' type='submit'>"
            + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
            + "<field var='secret'><value>s3cret</value></field>%s</x>";

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient app;
    private PushModule module;
    private final List<SessionEvents.Hibernation> hibernations = new ArrayList<>();

    private void start(UnaryOperator<ParleyConfig> push) throws Exception {
        module = new PushModule();
        server = new TestServer(push.apply(ParleyConfig.defaults().withDomains(List.of("example.org")).withDataDir(dir)),
                TestServer.discoveredModulesReplacing(PushModule.class, module));
        server.user("juliet@example.org").user("romeo@example.org").user("appsrv@example.org");
        server.events().hook(SessionEvents.HIBERNATED, 0, h -> {
            hibernations.add(h);
            return Verdict.PASS;
        });
        app = server.login("appsrv@example.org", "push");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String enable(TestClient client, String node, String extraFields) {
        return client.send("<iq type='set' id='en-" + node + "'><enable xmlns='urn:xmpp:push:0' jid='" + APP
                + "' node='" + node + "'>" + String.format(SECRET_FORM, extraFields) + "</enable></iq>");
    }

    /** Juliet enables push from a session, then that session goes away: she has none. */
    private void julietEnablesAndLeaves(String extraFields) {
        TestClient phone = server.login("juliet@example.org", "phone");
        assertThat(enable(phone, "node1", extraFields)).contains("type='result'");
        phone.send("</stream:stream>");
    }

    private List<PushRegistration> registrations() throws Exception {
        return server.storage().push().load(Jids.parseEntityBare("juliet@example.org"));
    }

    private void romeoSays(TestClient romeo, String body) {
        romeo.send("<message to='juliet@example.org' type='chat' id='m-" + body.hashCode() + "'><body>" + body
                + "</body></message>");
    }

    private List<Element> publishes() {
        return app.received().stream().filter(e -> "iq".equals(e.getName()) && "set".equals(e.attributeValue("type")))
                .toList();
    }

    private static Element summary(Element publishIq) {
        return publishIq.element(QName.get("pubsub", PushNamespaces.PUBSUB))
                .element(QName.get("publish", PushNamespaces.PUBSUB)).element(QName.get("item", PushNamespaces.PUBSUB))
                .element(QName.get("notification", PushNamespaces.PUSH)).element(QName.get("x", PushNamespaces.DATA));
    }

    private void answer(Element publishIq, String typeAndError) {
        app.send("<iq to='" + publishIq.attributeValue("from") + "' id='" + publishIq.attributeValue("id") + "' "
                + typeAndError);
    }

    @Test
    void enableStoresTheRegistrationAndDisableRemovesIt() throws Exception {
        // XEP-0357 §5: "the client sends an IQ-set with an <enable/> element ... the server MUST respond with an IQ-result".
        start(UnaryOperator.identity());
        TestClient phone = server.login("juliet@example.org", "phone");
        assertThat(enable(phone, "node1", "")).contains("type='result'").contains("id='en-node1'");
        assertThat(enable(phone, "node2", "")).contains("type='result'");
        assertThat(registrations()).extracting(PushRegistration::node).containsExactly("node1", "node2");
        assertThat(DataForms.value(registrations().get(0).publishOptions(), "secret")).isEqualTo("s3cret");
        // §6: "<disable jid node/>" removes that node; without node, every node of that JID.
        assertThat(phone.send("<iq type='set' id='d1'><disable xmlns='urn:xmpp:push:0' jid='" + APP
                + "' node='node1'/></iq>")).contains("type='result'");
        assertThat(registrations()).extracting(PushRegistration::node).containsExactly("node2");
        phone.send("<iq type='set' id='d2'><disable xmlns='urn:xmpp:push:0' jid='" + APP + "'/></iq>");
        assertThat(registrations()).isEmpty();
        assertThat(server.moduleContext().serverFeatures()).contains("urn:xmpp:push:0");
    }

    @Test
    void malformedRequestsAreBadRequests() throws Exception {
        start(UnaryOperator.identity());
        TestClient phone = server.login("juliet@example.org", "phone");
        assertThat(phone.send("<iq type='set' id='a'><enable xmlns='urn:xmpp:push:0' node='n'/></iq>"))
                .contains("type='error'").contains("bad-request");
        assertThat(phone.send("<iq type='set' id='b'><enable xmlns='urn:xmpp:push:0' jid='" + APP + "'/></iq>"))
                .contains("bad-request");
        assertThat(phone.send("<iq type='set' id='c'><enable xmlns='urn:xmpp:push:0' jid='" + APP + "' node='n'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:other</value></field></x>"
                + "</enable></iq>")).contains("bad-request");
        assertThat(registrations()).isEmpty();
    }

    @Test
    void registrationsAreLimitedPerAccountTheOldestGoes() throws Exception {
        start(config -> config.with(PushModule.MAX_REGISTRATIONS, 2));
        TestClient phone = server.login("juliet@example.org", "phone");
        enable(phone, "a", "");
        enable(phone, "b", "");
        enable(phone, "c", "");
        assertThat(registrations()).extracting(PushRegistration::node).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void anOfflineMessageIsAnnouncedWithoutItsBodyAndStillStoredOffline() throws Exception {
        // XEP-0357 §7: the server publishes a summary form (FORM_TYPE urn:xmpp:push:summary) with the publish-options.
        start(UnaryOperator.identity());
        julietEnablesAndLeaves("");
        TestClient romeo = server.login("romeo@example.org", "balcony");
        romeoSays(romeo, "Wherefore art thou?");

        List<Element> published = publishes();
        assertThat(published).hasSize(1);
        Element iq = published.get(0);
        assertThat(iq.attributeValue("from")).isEqualTo("juliet@example.org");
        assertThat(iq.element(QName.get("pubsub", PushNamespaces.PUBSUB)).element(QName.get("publish", PushNamespaces.PUBSUB))
                .attributeValue("node")).isEqualTo("node1");
        Element form = summary(iq);
        assertThat(DataForms.value(form, "FORM_TYPE")).isEqualTo("urn:xmpp:push:summary");
        assertThat(DataForms.value(form, "message-count")).isEqualTo("1");
        assertThat(DataForms.value(form, "last-message-sender")).isEqualTo("romeo@example.org/balcony");
        // Privacy by default: no body unless the user or the operator allowed it.
        assertThat(DataForms.value(form, "last-message-body")).isNull();
        assertThat(iq.asXML()).contains("publish-options").contains("s3cret");

        // The offline module still stored it (push passes MESSAGE_OFFLINE on).
        TestClient back = server.login("juliet@example.org", "phone");
        assertThat(back.send("<presence/>")).contains("Wherefore art thou?");
    }

    @Test
    void theBodyIsIncludedWhenThePublishOptionsAllowIt() throws Exception {
        start(UnaryOperator.identity());
        julietEnablesAndLeaves("<field var='include-body'><value>1</value></field>");
        romeoSays(server.login("romeo@example.org", "balcony"), "Hello");
        assertThat(DataForms.value(summary(publishes().get(0)), "last-message-body")).isEqualTo("Hello");
    }

    @Test
    void theBodyIsIncludedForEveryoneWhenConfigured() throws Exception {
        start(config -> config.with(PushModule.INCLUDE_BODY, true).with(PushModule.INCLUDE_SENDER, false));
        julietEnablesAndLeaves("");
        romeoSays(server.login("romeo@example.org", "balcony"), "Hello");
        Element form = summary(publishes().get(0));
        assertThat(DataForms.value(form, "last-message-body")).isEqualTo("Hello");
        assertThat(DataForms.value(form, "last-message-sender")).isNull();
    }

    @Test
    void messagesWithoutBodyWakeNobody() throws Exception {
        start(UnaryOperator.identity());
        julietEnablesAndLeaves("");
        server.login("romeo@example.org", "balcony").send("<message to='juliet@example.org' type='chat'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
        assertThat(publishes()).isEmpty();
    }

    @Test
    void aHibernatedSessionIsAnnouncedAndKeptLongerWhenThePushSucceeds() throws Exception {
        // XEP-0198 §5 hibernation + XEP-0357 §7; the extension is what Prosody and ejabberd do.
        start(UnaryOperator.identity());
        TestClient phone = server.login("juliet@example.org", "phone");
        enable(phone, "node1", "");
        phone.send("<presence/>");
        assertThat(phone.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>")).contains("<enabled");
        phone.drop();
        assertThat(hibernations).hasSize(1);
        Instant before = hibernations.get(0).expiresAt();

        romeoSays(server.login("romeo@example.org", "balcony"), "Are you there?");
        List<Element> published = publishes();
        assertThat(published).hasSize(1);
        assertThat(DataForms.value(summary(published.get(0)), "message-count")).isEqualTo("1");
        answer(published.get(0), "type='result'/>");

        Instant after = hibernations.get(0).expiresAt();
        assertThat(after).isAfter(before);
        assertThat(after).isCloseTo(Instant.now().plus(Duration.ofHours(72)), within(1, ChronoUnit.MINUTES));
    }

    /**
     * XEP-0198 §5: a hibernation ends when the client resumes the session, when a new login
     * takes its resource (RFC 6120 §7.7.2.2) or when its window runs out. Push keeps the handle
     * only while it may extend it: a handle kept longer keeps the whole dead session, its
     * connection and pipeline with it (the soak of issue 17 found one per account that had
     * ever hibernated).
     */
    @Test
    void aHibernationIsForgottenOnceItIsOver() throws Exception {
        start(UnaryOperator.identity());
        TestClient phone = server.login("juliet@example.org", "phone");
        phone.send("<presence/>");
        String id = SmClients.enableResumption(phone);
        phone.drop();
        assertThat(module.trackedHibernations()).isEqualTo(1);

        TestClient again = server.connect();
        SmClients.authenticate(again, "juliet@example.org");
        assertThat(again.send("<resume xmlns='" + SmClients.SM + "' previd='" + id + "' h='0'/>")).contains("<resumed");
        assertThat(module.trackedHibernations()).isZero();

        TestClient laptop = server.login("juliet@example.org", "laptop");
        laptop.send("<presence/>");
        SmClients.enableResumption(laptop);
        laptop.drop();
        assertThat(module.trackedHibernations()).isEqualTo(1);
        server.login("juliet@example.org", "laptop");
        assertThat(module.trackedHibernations()).isZero();

        TestClient tablet = server.login("juliet@example.org", "tablet");
        tablet.send("<presence/>");
        SmClients.enableResumption(tablet);
        tablet.channel().freezeTime();
        // Closed through the pipeline: EmbeddedChannel.close() would cancel the expiry timer too.
        tablet.channel().pipeline().close();
        tablet.channel().runPendingTasks();
        assertThat(module.trackedHibernations()).isEqualTo(1);
        tablet.channel().advanceTimeBy(5, TimeUnit.MINUTES);
        tablet.channel().runPendingTasks();
        assertThat(server.sessions().isBound(Jids.parse("juliet@example.org/tablet").asEntityFullJidIfPossible())).isFalse();
        assertThat(module.trackedHibernations()).isZero();
    }

    /**
     * Offline messages for an account without push registrations wake nobody (XEP-0357 §5), so
     * nothing is kept for it: before, every account that got an offline message kept a backlog
     * of up to 256 message keys until it next came online.
     */
    @Test
    void offlineMessagesForAnAccountWithoutPushKeepNothing() throws Exception {
        start(UnaryOperator.identity());
        TestClient romeo = server.login("romeo@example.org", "balcony");
        romeoSays(romeo, "one");
        romeoSays(romeo, "two");

        assertThat(server.storage().offline().count(Jids.parseEntityBare("juliet@example.org"))).isEqualTo(2);
        assertThat(module.trackedBacklogs()).isZero();

        julietEnablesAndLeaves("");
        romeoSays(romeo, "three");
        assertThat(publishes()).hasSize(1);
        assertThat(module.trackedBacklogs()).isEqualTo(1);
        server.login("juliet@example.org", "phone").send("<presence/>");
        assertThat(module.trackedBacklogs()).isZero();
    }

    @Test
    void aBurstWakesTheDeviceOnceUntilTheAppServerAnswers() throws Exception {
        start(UnaryOperator.identity());
        julietEnablesAndLeaves("");
        TestClient romeo = server.login("romeo@example.org", "balcony");
        romeoSays(romeo, "one");
        romeoSays(romeo, "two");
        List<Element> first = publishes();
        assertThat(first).hasSize(1);
        answer(first.get(0), "type='result'/>");
        romeoSays(romeo, "three");
        List<Element> second = publishes();
        assertThat(second).hasSize(1);
        assertThat(DataForms.value(summary(second.get(0)), "message-count")).isEqualTo("3");
    }

    @Test
    void anUnknownNodeRemovesTheRegistrationAtOnce() throws Exception {
        start(UnaryOperator.identity());
        julietEnablesAndLeaves("");
        romeoSays(server.login("romeo@example.org", "balcony"), "hi");
        answer(publishes().get(0), "type='error'><error type='cancel'>"
                + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        assertThat(registrations()).isEmpty();
    }

    @Test
    void anAppServerThatKeepsFailingIsRemovedTemporaryErrorsDoNotCount() throws Exception {
        start(config -> config.with(PushModule.MAX_ERRORS, 2));
        julietEnablesAndLeaves("");
        TestClient romeo = server.login("romeo@example.org", "balcony");
        String failure = "type='error'><error type='cancel'>"
                + "<internal-server-error xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
        romeoSays(romeo, "1");
        answer(publishes().get(0), failure);
        romeoSays(romeo, "2");
        answer(publishes().get(0), "type='error'><error type='wait'>"
                + "<resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        assertThat(registrations()).hasSize(1);
        romeoSays(romeo, "3");
        answer(publishes().get(0), failure);
        assertThat(registrations()).isEmpty();
        romeoSays(romeo, "4");
        assertThat(publishes()).isEmpty();
    }
}
