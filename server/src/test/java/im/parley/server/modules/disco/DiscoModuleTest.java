package im.parley.server.modules.disco;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.modules.XmppScript;
import im.parley.server.modules.caps.CapsVerification;
import im.parley.server.testing.TestClient;
import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service discovery (XEP-0030) and the server's entity capabilities (XEP-0115). */
class DiscoModuleTest {

    private static final String INFO = "<query xmlns='http://jabber.org/protocol/disco#info'";
    private static final String ITEMS = "<query xmlns='http://jabber.org/protocol/disco#items'";

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient romeo;

    @BeforeEach
    void start() throws Exception {
        // Upload, MUC and pubsub are off: their component hosts would be items of the server (their tests show that).
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir);
        server = new TestServer(config.withModules(config.modules().withDisabled(List.of("upload", "muc", "pubsub"))));
        server.user("romeo@parley.test").user("juliet@parley.test");
        romeo = server.login("romeo@parley.test", "orchard");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void serverInfoListsTheIdentityAndEveryAnnouncedFeature() {
        // XEP-0030 §3.1: identity and features; the server is category 'server', type 'im'.
        Element reply = iq(romeo, "<iq type='get' id='i1' to='parley.test'>" + INFO + "/></iq>");

        assertThat(reply.attributeValue("type")).isEqualTo("result");
        assertThat(reply.attributeValue("from")).isEqualTo("parley.test");
        Element query = reply.element("query");
        Element identity = query.element("identity");
        assertThat(identity.attributeValue("category")).isEqualTo("server");
        assertThat(identity.attributeValue("type")).isEqualTo("im");
        assertThat(vars(query)).contains("http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                "urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:time", "jabber:iq:last", "jabber:iq:register")
                .containsExactlyInAnyOrderElementsOf(server.moduleContext().serverFeatures());
    }

    @Test
    void serverItemsAreEmpty() {
        // XEP-0030 §7: no items is an empty query, not an error.
        Element reply = iq(romeo, "<iq type='get' id='i2' to='parley.test'>" + ITEMS + "/></iq>");

        assertThat(reply.attributeValue("type")).isEqualTo("result");
        assertThat(reply.element("query").elements()).isEmpty();
    }

    @Test
    void serverItemsListTheComponentHostsOfTheDomain_xep0030_4_1() throws Exception {
        server.moduleContext().addComponentHost(im.parley.core.jid.Jids.parseDomain("rooms.parley.test"));

        Element reply = iq(romeo, "<iq type='get' id='i2' to='parley.test'>" + ITEMS + "/></iq>");

        assertThat(reply.element("query").elements()).singleElement()
                .satisfies(item -> assertThat(item.attributeValue("jid")).isEqualTo("rooms.parley.test"));
    }

    @Test
    void anUnknownNodeIsItemNotFound() {
        // XEP-0030 §7: the JID+NodeID does not exist.
        assertThat(condition(iq(romeo, "<iq type='get' id='i3' to='parley.test'>" + INFO + " node='nope'/></iq>")))
                .isEqualTo("item-not-found");
        assertThat(condition(iq(romeo, "<iq type='get' id='i4' to='parley.test'>" + ITEMS + " node='nope'/></iq>")))
                .isEqualTo("item-not-found");
    }

    @Test
    void theCapsNodeIsAnsweredLikeThePlainQuery() {
        // XEP-0115 §6.2: disco#info to node#ver returns the same identities and features.
        String node = CapsVerification.NODE + "#" + server.serverInfo().capsVer();
        Element plain = iq(romeo, "<iq type='get' id='i5' to='parley.test'>" + INFO + "/></iq>").element("query");
        Element withNode = iq(romeo, "<iq type='get' id='i6' to='parley.test'>" + INFO + " node='" + node + "'/></iq>")
                .element("query");

        assertThat(withNode.attributeValue("node")).isEqualTo(node);
        assertThat(vars(withNode)).isEqualTo(vars(plain));
        assertThat(CapsVerification.ver(withNode)).isEqualTo(server.serverInfo().capsVer());
        assertThat(condition(iq(romeo, "<iq type='get' id='i7' to='parley.test'>" + INFO + " node='"
                + CapsVerification.NODE + "#stale'/></iq>"))).isEqualTo("item-not-found");
    }

    @Test
    void theAccountItselfSeesItsIdentityAndResources() {
        // XEP-0030 §8: the server answers for the account; the account may see itself.
        romeo.send("<presence/>");
        romeo.stanzas();

        Element info = iq(romeo, "<iq type='get' id='a1' to='romeo@parley.test'>" + INFO + "/></iq>");
        Element items = iq(romeo, "<iq type='get' id='a2'>" + ITEMS + "/></iq>");

        Element identity = info.element("query").element("identity");
        assertThat(identity.attributeValue("category")).isEqualTo("account");
        assertThat(identity.attributeValue("type")).isEqualTo("registered");
        assertThat(items.element("query").elements("item")).extracting(e -> e.attributeValue("jid"))
                .containsExactly("romeo@parley.test/orchard");
        // XEP-0357 §4: push support is announced on the account.
        assertThat(info.element("query").elements("feature")).extracting(e -> e.attributeValue("var"))
                .contains("urn:xmpp:push:0");
    }

    @Test
    void othersGetServiceUnavailableForInfoAndNoItems() {
        // XEP-0030 §8 rule 1: service-unavailable without presence authorization (no roster
        // here, so nobody but the account); rule 2: an empty items result.
        TestClient juliet = server.login("juliet@parley.test", "balcony");

        assertThat(condition(iq(juliet, "<iq type='get' id='o1' to='romeo@parley.test'>" + INFO + "/></iq>")))
                .isEqualTo("service-unavailable");
        assertThat(condition(iq(juliet, "<iq type='get' id='o2' to='nobody@parley.test'>" + INFO + "/></iq>")))
                .isEqualTo("service-unavailable");
        Element items = iq(juliet, "<iq type='get' id='o3' to='romeo@parley.test'>" + ITEMS + "/></iq>");
        assertThat(items.attributeValue("type")).isEqualTo("result");
        assertThat(items.element("query").elements()).isEmpty();
    }

    @Test
    void postAuthenticationFeaturesAdvertiseTheServerCapabilities() {
        // XEP-0115 §6.3: <c/> in the stream features once authenticated, not before.
        String before = server.connect().send(TestClient.header("parley.test"));
        assertThat(XmppScript.features(before).element(org.dom4j.QName.get("c", CapsVerification.NAMESPACE))).isNull();

        Element features = XmppScript.features(
                XmppScript.authenticate(server.connect(), "juliet", "parley.test", "secret"));

        Element c = features.element(org.dom4j.QName.get("c", CapsVerification.NAMESPACE));
        assertThat(c).isNotNull();
        assertThat(c.attributeValue("hash")).isEqualTo("sha-1");
        assertThat(c.attributeValue("node")).isEqualTo("https://parley.im");
        Element query = iq(romeo, "<iq type='get' id='c1' to='parley.test'>" + INFO + "/></iq>").element("query");
        assertThat(c.attributeValue("ver")).isEqualTo(CapsVerification.ver(query));
    }

    private static List<String> vars(Element query) {
        return query.elements("feature").stream().map(f -> f.attributeValue("var")).toList();
    }
}
