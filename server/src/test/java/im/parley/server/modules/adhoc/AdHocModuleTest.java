package im.parley.server.modules.adhoc;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.modules.delivery.DeliveryModule;
import im.parley.server.modules.disco.DiscoModule;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ad-Hoc Commands (XEP-0050), section by section, with the commands of {@link WizardModule}. */
class AdHocModuleTest {

    private static final String NS = "http://jabber.org/protocol/commands";

    @TempDir
    Path dir;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T12:00:00Z"));
    private TestServer server;
    private TestClient romeo;

    @BeforeEach
    void start() throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir)
                .with(AdHocModule.MAX_SESSIONS, 2).with(AdHocModule.SESSION_TIMEOUT, Duration.ofMinutes(5));
        server = new TestServer(config, clock, ModuleCatalog.of(List.of(new DeliveryModule(), new DiscoModule(),
                new AdHocModule(), new WizardModule())));
        server.user("romeo@parley.test").user("juliet@parley.test");
        romeo = server.login("romeo@parley.test", "orchard");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Nested
    class Discovery {

        @Test
        void theServerAnnouncesTheFeature() {
            // §2.1: disco#info includes the commands feature.
            Element query = iq(romeo, "<iq type='get' id='d1' to='parley.test'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>").element("query");

            assertThat(query.elements("feature")).extracting(f -> f.attributeValue("var")).contains(NS);
        }

        @Test
        void theCommandListHoldsWhatTheRequesterMayRun() {
            // §2.2: "The responder is not required to send the same list of commands to all requesters."
            String list = "<iq type='get' id='d2' to='parley.test'><query xmlns='http://jabber.org/protocol/disco#items' "
                    + "node='" + NS + "'/></iq>";
            Element query = iq(romeo, list).element("query");

            assertThat(query.attributeValue("node")).isEqualTo(NS);
            assertThat(query.elements("item")).extracting(i -> i.attributeValue("node"), i -> i.attributeValue("jid"),
                    i -> i.attributeValue("name")).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("echo", "parley.test", "Echo"),
                    org.assertj.core.groups.Tuple.tuple("wizard", "parley.test", "Configure Service"));
            TestClient juliet = server.login("juliet@parley.test", "balcony");
            assertThat(iq(juliet, list).element("query").elements("item")).isEmpty();
        }

        @Test
        void aCommandNodeIsACommandNodeAndForbiddenToOthers() {
            // §2.2: identity automation/command-node and the commands feature; forbidden to whom may not run it.
            String info = "<iq type='get' id='d3' to='parley.test'><query xmlns='http://jabber.org/protocol/disco#info' "
                    + "node='wizard'/></iq>";
            Element query = iq(romeo, info).element("query");

            Element identity = query.element("identity");
            assertThat(identity.attributeValue("category")).isEqualTo("automation");
            assertThat(identity.attributeValue("type")).isEqualTo("command-node");
            assertThat(identity.attributeValue("name")).isEqualTo("Configure Service");
            assertThat(query.elements("feature")).extracting(f -> f.attributeValue("var"))
                    .containsExactly(NS, "jabber:x:data");
            assertThat(condition(iq(server.login("juliet@parley.test", "balcony"), info))).isEqualTo("forbidden");
        }

        @Test
        void theListNodeIsACommandListAndUnknownNodesAreNotFound() {
            Element list = iq(romeo, "<iq type='get' id='d4' to='parley.test'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info' node='" + NS + "'/></iq>").element("query");
            assertThat(list.element("identity").attributeValue("type")).isEqualTo("command-list");

            assertThat(condition(iq(romeo, "<iq type='get' id='d5' to='parley.test'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info' node='nothing'/></iq>")))
                    .isEqualTo("item-not-found");
        }
    }

    @Nested
    class Execution {

        @Test
        void aSingleStageCommandCompletesAtOnce() {
            // §2.4.1: no interaction: completed, with a sessionid; action='execute' is implied.
            Element command = command(romeo, "node='echo'", "");

            assertThat(command.attributeValue("status")).isEqualTo("completed");
            assertThat(command.attributeValue("sessionid")).isNotEmpty();
            assertThat(command.attributeValue("node")).isEqualTo("echo");
            assertThat(command.element("actions")).isNull();
            assertThat(command.element("note").attributeValue("type")).isEqualTo("info");
            assertThat(command.elementText("note")).isEqualTo("hello romeo@parley.test/orchard");
        }

        @Test
        void aMultiStageCommandGoesNextPrevAndComplete() {
            // §2.4.2, the example flow: stage 1 (next), stage 2 (prev, complete; execute = complete).
            Element first = command(romeo, "node='wizard' action='execute'", "");
            String session = first.attributeValue("sessionid");
            assertThat(first.attributeValue("status")).isEqualTo("executing");
            assertThat(first.element("actions").attributeValue("execute")).isEqualTo("next");
            assertThat(first.element("actions").elements()).extracting(Element::getName).containsExactly("next");
            assertThat(first.element("x").attributeValue("type")).isEqualTo("form");

            Element second = command(romeo, "node='wizard' sessionid='" + session + "'", service("httpd"));
            assertThat(second.attributeValue("status")).isEqualTo("executing");
            assertThat(second.attributeValue("sessionid")).isEqualTo(session);
            assertThat(second.element("actions").attributeValue("execute")).isEqualTo("complete");
            assertThat(second.element("actions").elements()).extracting(Element::getName)
                    .containsExactly("prev", "complete");

            Element back = command(romeo, "node='wizard' sessionid='" + session + "' action='prev'", "");
            assertThat(back.element("actions").attributeValue("execute")).isEqualTo("next");
            command(romeo, "node='wizard' sessionid='" + session + "' action='next'", service("jabberd"));

            Element done = command(romeo, "node='wizard' sessionid='" + session + "' action='complete'",
                    "<x xmlns='jabber:x:data' type='submit'><field var='state'><value>on</value></field></x>");
            assertThat(done.attributeValue("status")).isEqualTo("completed");
            assertThat(done.element("actions")).isNull();
            assertThat(done.elementText("note")).isEqualTo("Service 'jabberd' is on.");
        }

        @Test
        void cancelEndsTheSession() {
            // §2.4.3: the responder MUST reply with the success of the command: status='canceled'.
            String session = command(romeo, "node='wizard'", "").attributeValue("sessionid");

            Element canceled = command(romeo, "node='wizard' sessionid='" + session + "' action='cancel'", "");

            assertThat(canceled.attributeValue("status")).isEqualTo("canceled");
            assertThat(canceled.attributeValue("sessionid")).isEqualTo(session);
            // §3.3: once a session has ended, its sessionid is not used again.
            assertError(send(romeo, "node='wizard' sessionid='" + session + "'", service("httpd")),
                    "not-allowed", "session-expired");
        }
    }

    /** §4.4, every condition a request can meet. */
    @Nested
    class Errors {

        @Test
        void anUnknownActionIsMalformed() {
            assertError(send(romeo, "node='wizard' action='jump'", ""), "bad-request", "malformed-action");
        }

        @Test
        void anActionTheStageDoesNotAllowIsABadAction() {
            String session = command(romeo, "node='wizard'", "").attributeValue("sessionid");

            assertError(send(romeo, "node='wizard' sessionid='" + session + "' action='prev'", ""),
                    "bad-request", "bad-action");
            assertError(send(romeo, "node='wizard' sessionid='" + session + "' action='complete'", service("httpd")),
                    "bad-request", "bad-action");
            // The session is still there, at its first stage.
            assertThat(command(romeo, "node='wizard' sessionid='" + session + "'", service("httpd"))
                    .attributeValue("status")).isEqualTo("executing");
        }

        @Test
        void onlyExecuteStartsASession() {
            assertError(send(romeo, "node='wizard' action='next'", service("httpd")), "bad-request", "bad-action");
        }

        @Test
        void anUnknownSessionIdIsABadSessionId() {
            assertError(send(romeo, "node='wizard' sessionid='made-up'", ""), "bad-request", "bad-sessionid");
        }

        @Test
        void aSessionBelongsToOneRequesterAndOneCommand() {
            // §3.3: a session is valid only between one requester/responder pair.
            String session = command(romeo, "node='wizard'", "").attributeValue("sessionid");
            TestClient garden = server.login("romeo@parley.test", "garden");

            assertError(send(garden, "node='wizard' sessionid='" + session + "'", service("httpd")),
                    "bad-request", "bad-sessionid");
            assertError(send(romeo, "node='echo' sessionid='" + session + "'", ""), "bad-request", "bad-sessionid");
        }

        @Test
        void aSessionIdleLongerThanTheTimeoutHasExpired() {
            String session = command(romeo, "node='wizard'", "").attributeValue("sessionid");
            clock.advance(Duration.ofMinutes(5));

            assertError(send(romeo, "node='wizard' sessionid='" + session + "'", service("httpd")),
                    "not-allowed", "session-expired");
        }

        @Test
        void aCompletedSessionHasExpired() {
            String session = command(romeo, "node='echo'", "").attributeValue("sessionid");

            assertError(send(romeo, "node='echo' sessionid='" + session + "'", ""), "not-allowed", "session-expired");
        }

        @Test
        void aPayloadTheCommandRefusesIsABadPayloadAndTheSessionStays() {
            String session = command(romeo, "node='wizard'", "").attributeValue("sessionid");

            assertError(send(romeo, "node='wizard' sessionid='" + session + "'", service("")), "bad-request", "bad-payload");
            assertThat(command(romeo, "node='wizard' sessionid='" + session + "'", service("httpd"))
                    .attributeValue("status")).isEqualTo("executing");
        }

        @Test
        void whoMayNotRunACommandIsForbidden() {
            TestClient juliet = server.login("juliet@parley.test", "balcony");

            assertError(send(juliet, "node='wizard'", ""), "forbidden", null);
        }

        @Test
        void anUnknownNodeIsNotFound() {
            assertError(send(romeo, "node='nothing'", ""), "item-not-found", null);
        }

        @Test
        void aCommandIsExecutedWithASet() {
            Element reply = iq(romeo, "<iq type='get' id='g1' to='parley.test'><command xmlns='" + NS
                    + "' node='echo'/></iq>");
            assertThat(condition(reply)).isEqualTo("bad-request");
        }
    }

    @Nested
    class SessionLimits {

        @Test
        void aRequesterHasAtMostMaxSessionsOpen() {
            // adhoc.max_sessions is 2 here.
            command(romeo, "node='wizard'", "");
            String second = command(romeo, "node='wizard'", "").attributeValue("sessionid");

            assertError(send(romeo, "node='wizard'", ""), "resource-constraint", null);
            // Completed commands hold no session.
            assertThat(command(romeo, "node='echo'", "").attributeValue("status")).isEqualTo("completed");
            // Another resource is another requester.
            assertThat(command(server.login("romeo@parley.test", "garden"), "node='wizard'", "")
                    .attributeValue("status")).isEqualTo("executing");

            command(romeo, "node='wizard' sessionid='" + second + "' action='cancel'", "");
            assertThat(command(romeo, "node='wizard'", "").attributeValue("status")).isEqualTo("executing");
        }

        @Test
        void expiredSessionsMakeRoom() {
            command(romeo, "node='wizard'", "");
            command(romeo, "node='wizard'", "");
            clock.advance(Duration.ofMinutes(5));

            assertThat(command(romeo, "node='wizard'", "").attributeValue("status")).isEqualTo("executing");
        }
    }

    private static String service(String name) {
        return "<x xmlns='jabber:x:data' type='submit'><field var='service'><value>" + name + "</value></field></x>";
    }

    private static Element send(TestClient client, String attributes, String payload) {
        return iq(client, "<iq type='set' id='c" + System.nanoTime() + "' to='parley.test'><command xmlns='" + NS
                + "' " + attributes + ">" + payload + "</command></iq>");
    }

    /** Executes and returns the {@code <command/>} of the result. */
    static Element command(TestClient client, String attributes, String payload) {
        Element reply = send(client, attributes, payload);
        assertThat(reply.attributeValue("type")).as(reply.asXML()).isEqualTo("result");
        return reply.element("command");
    }

    /** XEP-0050 §4.4: the general condition and, where it has one, the specific one in the commands namespace. */
    private static void assertError(Element reply, String general, String specific) {
        assertThat(condition(reply)).as(reply.asXML()).isEqualTo(general);
        if (specific != null) {
            Element error = reply.element("error");
            assertThat(error.elements()).as(reply.asXML())
                    .anySatisfy(e -> {
                        assertThat(e.getName()).isEqualTo(specific);
                        assertThat(e.getNamespaceURI()).isEqualTo(NS);
                    });
        }
    }
}
