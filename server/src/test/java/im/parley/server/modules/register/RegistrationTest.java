package im.parley.server.modules.register;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static im.parley.server.modules.XmppScript.parse;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.modules.XmppScript;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-Band Registration (XEP-0077): before authentication, then password change and removal. */
class RegistrationTest {

    private static final String REGISTER_FEATURE = "http://jabber.org/features/iq-register";

    @TempDir
    Path dir;

    @Test
    void theFeatureIsAdvertisedOnlyWhereRegistrationIsOpen() throws Exception {
        // XEP-0077 §8: the stream feature; off by default, and only for the configured domains.
        UnaryOperator<ParleyConfig> open = c -> c.with(RegisterModule.ENABLED, true)
                .with(RegisterModule.DOMAINS, List.of("open.test"));
        try (TestServer server = server(open, "open.test", "closed.test")) {
            assertThat(registerFeature(server, "open.test")).isNotNull();
            assertThat(registerFeature(server, "closed.test")).isNull();
        }
        try (TestServer server = server(UnaryOperator.identity(), "parley.test")) {
            assertThat(registerFeature(server, "parley.test")).isNull();
        }
    }

    @Test
    void createAnAccountThenLogInWithIt() throws Exception {
        try (TestServer server = server(enabled(), "parley.test")) {
            TestClient client = server.connect();
            client.send(TestClient.header("parley.test"));

            // XEP-0077 §3.1: the fields to fill in.
            Element form = single(client.send("<iq type='get' id='r1'><query xmlns='jabber:iq:register'/></iq>"));
            Element query = form.element("query");
            assertThat(form.attributeValue("type")).isEqualTo("result");
            assertThat(query.element("username")).isNotNull();
            assertThat(query.element("password")).isNotNull();
            assertThat(query.elementText("instructions")).isNotBlank();

            Element created = single(client.send("<iq type='set' id='r2'><query xmlns='jabber:iq:register'>"
                    + "<username>mercutio</username><password>queen mab</password></query></iq>"));
            assertThat(created.attributeValue("type")).isEqualTo("result");
            assertThat(created.elements()).isEmpty();

            // §3.1.1: then authenticate with the new account.
            TestClient mercutio = server.connect();
            mercutio.login("mercutio@parley.test", "queen mab", "street");
            assertThat(mercutio.jid()).isEqualTo("mercutio@parley.test/street");
        }
    }

    @Test
    void errorsOfAccountCreation() throws Exception {
        try (TestServer server = server(enabled(10), "parley.test")) {
            server.user("romeo@parley.test");
            TestClient client = server.connect();
            client.send(TestClient.header("parley.test"));

            // §3.1: a taken username is a conflict; the password is never echoed back.
            Element conflict = single(client.send(set("romeo", "other")));
            assertThat(condition(conflict)).isEqualTo("conflict");
            assertThat(conflict.asXML()).doesNotContain("other");
            // §3.1: every field is required, an empty password included.
            assertThat(condition(single(client.send(set("benvolio", ""))))).isEqualTo("not-acceptable");
            assertThat(condition(single(client.send("<iq type='set' id='x'><query xmlns='jabber:iq:register'>"
                    + "<password>p</password></query></iq>")))).isEqualTo("not-acceptable");
            // RFC 7622 §3.3: not a valid localpart.
            assertThat(condition(single(client.send(set("bad@name", "pw"))))).isEqualTo("jid-malformed");
        }
    }

    @Test
    void closedRegistrationIsServiceUnavailable() throws Exception {
        // XEP-0077 §3.1: "If the host does not support In-Band Registration, it MUST return a
        // <service-unavailable/> error."
        try (TestServer server = server(UnaryOperator.identity(), "parley.test")) {
            TestClient client = server.connect();
            client.send(TestClient.header("parley.test"));

            assertThat(condition(single(client.send("<iq type='get' id='r1'><query xmlns='jabber:iq:register'/></iq>"))))
                    .isEqualTo("service-unavailable");
            assertThat(condition(single(client.send(set("tybalt", "pw"))))).isEqualTo("service-unavailable");
            assertThat(server.accounts().exists(org.jxmpp.jid.impl.JidCreate.entityBareFrom("tybalt@parley.test")))
                    .isFalse();
        }
    }

    @Test
    void attemptsAreLimitedPerAddress() throws Exception {
        // XEP-0077 §3.1.1: a server MAY refuse with not-acceptable when an entity registers too often.
        try (TestServer server = server(enabled(2), "parley.test")) {
            for (String name : List.of("one", "two")) {
                TestClient client = server.connect();
                client.send(TestClient.header("parley.test"));
                assertThat(single(client.send(set(name, "pw"))).attributeValue("type")).isEqualTo("result");
            }
            TestClient third = server.connect();
            third.send(TestClient.header("parley.test"));

            assertThat(condition(single(third.send(set("three", "pw"))))).isEqualTo("not-acceptable");
        }
    }

    @Test
    void oneAccountPerConnection() throws Exception {
        try (TestServer server = server(enabled(10), "parley.test")) {
            TestClient client = server.connect();
            client.send(TestClient.header("parley.test"));
            single(client.send(set("one", "pw")));

            assertThat(condition(single(client.send(set("two", "pw"))))).isEqualTo("not-acceptable");
        }
    }

    @Test
    void anAuthenticatedAccountIsToldItIsRegistered() throws Exception {
        try (TestServer server = server(UnaryOperator.identity(), "parley.test")) {
            TestClient romeo = server.user("romeo@parley.test").login("romeo@parley.test", "orchard");

            // §3.1: <registered/> and the username on file.
            Element query = iq(romeo, "<iq type='get' id='g1'><query xmlns='jabber:iq:register'/></iq>").element("query");

            assertThat(query.element("registered")).isNotNull();
            assertThat(query.elementText("username")).isEqualTo("romeo");
        }
    }

    @Test
    void passwordChangeThenTheOldPasswordFails() throws Exception {
        try (TestServer server = server(UnaryOperator.identity(), "parley.test")) {
            TestClient romeo = server.user("romeo@parley.test").login("romeo@parley.test", "orchard");

            // XEP-0077 §3.3.
            Element changed = iq(romeo, "<iq type='set' id='p1' to='parley.test'><query xmlns='jabber:iq:register'>"
                    + "<username>romeo</username><password>rosaline</password></query></iq>");
            assertThat(changed.attributeValue("type")).isEqualTo("result");

            String oldPassword = XmppScript.authenticate(server.connect(), "romeo", "parley.test", "secret");
            assertThat(oldPassword).contains("<failure").contains("not-authorized");
            TestClient again = server.connect();
            again.login("romeo@parley.test", "rosaline", "garden");
            assertThat(again.jid()).isEqualTo("romeo@parley.test/garden");
        }
    }

    @Test
    void passwordChangeErrors() throws Exception {
        try (TestServer server = server(UnaryOperator.identity(), "parley.test")) {
            TestClient romeo = server.user("romeo@parley.test").user("juliet@parley.test")
                    .login("romeo@parley.test", "orchard");

            // §3.3: an empty password never replaces the current one.
            assertThat(condition(iq(romeo, "<iq type='set' id='p2'><query xmlns='jabber:iq:register'>"
                    + "<username>romeo</username><password/></query></iq>"))).isEqualTo("bad-request");
            assertThat(condition(iq(romeo, "<iq type='set' id='p3'><query xmlns='jabber:iq:register'>"
                    + "<username>juliet</username><password>x</password></query></iq>"))).isEqualTo("forbidden");
        }
    }

    @Test
    void removingTheAccountEndsEverySession() throws Exception {
        try (TestServer server = server(UnaryOperator.identity(), "parley.test")) {
            server.user("romeo@parley.test");
            TestClient orchard = server.login("romeo@parley.test", "orchard");
            TestClient garden = server.login("romeo@parley.test", "garden");

            // XEP-0077 §3.2: result, then a <not-authorized/> stream error on every session.
            String output = orchard.send("<iq type='set' id='u1'><query xmlns='jabber:iq:register'><remove/></query></iq>");

            assertThat(output).containsSubsequence("type='result'", "<not-authorized", "</stream:stream>");
            assertThat(garden.output()).contains("<not-authorized");
            assertThat(orchard.isOpen()).isFalse();
            assertThat(garden.isOpen()).isFalse();
            assertThat(server.accounts().exists(org.jxmpp.jid.impl.JidCreate.entityBareFrom("romeo@parley.test")))
                    .isFalse();
            assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "secret"))
                    .contains("<failure");
        }
    }

    private TestServer server(UnaryOperator<ParleyConfig> registration, String... domains) throws Exception {
        return new TestServer(registration.apply(ParleyConfig.defaults().withDomains(List.of(domains)).withDataDir(dir)));
    }

    private static UnaryOperator<ParleyConfig> enabled() {
        return c -> c.with(RegisterModule.ENABLED, true);
    }

    private static UnaryOperator<ParleyConfig> enabled(int maxPerAddress) {
        return c -> enabled().apply(c).with(RegisterModule.MAX_PER_ADDRESS, maxPerAddress);
    }

    private static Element registerFeature(TestServer server, String domain) {
        Element features = XmppScript.features(server.connect().send(TestClient.header(domain)));
        return features.element(QName.get("register", REGISTER_FEATURE));
    }

    private static String set(String username, String password) {
        return "<iq type='set' id='s'><query xmlns='jabber:iq:register'><username>" + username + "</username><password>"
                + password + "</password></query></iq>";
    }

    private static Element single(String output) {
        List<Element> elements = parse(output);
        assertThat(elements).as("one reply in %s", output).hasSize(1);
        return elements.get(0);
    }
}
