package im.parley.server.modules.proxy65;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's XMPP side without sockets: discovery (XEP-0065 §4), its address, activation errors (§6.3.5). */
class Proxy65ModuleTest {

    private static final String PROXY = "proxy.parley.test";

    @TempDir
    Path dir;

    private TestServer server;

    private TestClient start(ParleyConfig config) throws Exception {
        server = new TestServer(config.withDomains(List.of("parley.test", "other.test")).withDataDir(dir),
                new MovableClock(Instant.parse("2026-01-01T00:00:00Z")),
                ModuleCatalog.of(TestServer.discoveredModulesReplacing(Proxy65Module.class, new Proxy65Module())));
        server.user("romeo@parley.test").user("juliet@other.test");
        return server.login("romeo@parley.test", "garden");
    }

    private TestClient startEnabled() throws Exception {
        return start(ParleyConfig.defaults().with(Proxy65Module.ENABLED, true)
                .with(Proxy65Module.LISTEN_ADDRESS, "127.0.0.1").with(Proxy65Module.PORT, 7625));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void offByDefault() throws Exception {
        TestClient romeo = start(ParleyConfig.defaults());

        assertThat(items(romeo, "parley.test")).doesNotContain(PROXY);
        assertThat(condition(iq(romeo, "<iq type='get' id='p1' to='" + PROXY + "'>"
                + "<query xmlns='http://jabber.org/protocol/bytestreams'/></iq>"))).isIn("service-unavailable",
                "remote-server-not-found", "item-not-found");
    }

    @Test
    void eachHostedDomainListsItsProxyWhichSaysWhatItIs() throws Exception {
        TestClient romeo = startEnabled();

        // XEP-0065 §4: the Requester finds the proxy among its server's disco#items, then "inspects it to
        // determine if it contains an identity of category "proxy" and type "bytestreams"".
        assertThat(items(romeo, "parley.test")).contains(PROXY).doesNotContain("proxy.other.test");
        assertThat(items(server.login("juliet@other.test", "garden"), "other.test")).contains("proxy.other.test");
        Element info = iq(romeo, "<iq type='get' id='i1' to='" + PROXY + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>").element("query");
        Element identity = info.element("identity");
        assertThat(identity.attributeValue("category")).isEqualTo("proxy");
        assertThat(identity.attributeValue("type")).isEqualTo("bytestreams");
        assertThat(info.elements("feature")).extracting(f -> f.attributeValue("var")).contains(Proxy65Module.NAMESPACE);
    }

    @Test
    void theProxyGivesItsNetworkAddress() throws Exception {
        TestClient romeo = startEnabled();

        // §4: "the <streamhost/> element MUST possess the following attributes: host, jid, port".
        Element streamhost = iq(romeo, "<iq type='get' id='a1' to='" + PROXY + "'>"
                + "<query xmlns='http://jabber.org/protocol/bytestreams'/></iq>").element("query").element("streamhost");
        assertThat(streamhost.attributeValue("jid")).isEqualTo(PROXY);
        assertThat(streamhost.attributeValue("host")).isEqualTo("127.0.0.1");
        assertThat(streamhost.attributeValue("port")).isEqualTo("7625");
    }

    /**
     * Turned on without an address, the proxy listens on loopback like every other listener (c2s,
     * s2s, HTTP): it exposes nothing until the operator names an interface, and tells clients so.
     */
    @Test
    void withoutAnAddressItListensOnLoopbackLikeEveryListener() throws Exception {
        TestClient romeo = start(ParleyConfig.defaults().with(Proxy65Module.ENABLED, true)
                .with(Proxy65Module.PORT, 7626));

        Element streamhost = iq(romeo, "<iq type='get' id='a2' to='" + PROXY + "'>"
                + "<query xmlns='http://jabber.org/protocol/bytestreams'/></iq>").element("query").element("streamhost");
        assertThat(streamhost.attributeValue("host")).isEqualTo("127.0.0.1");
        assertThat(ParleyConfig.defaults().c2s().address()).isEqualTo(streamhost.attributeValue("host"));
    }

    @Test
    void activatingAStreamNobodyConnectedForIsItemNotFound() throws Exception {
        TestClient romeo = startEnabled();

        // §6.3.5: "item-not-found if the 'from' address does not match that of the Requester's full JID".
        assertThat(condition(iq(romeo, "<iq type='set' id='v1' to='" + PROXY + "'>"
                + "<query xmlns='http://jabber.org/protocol/bytestreams' sid='s1'><activate>juliet@other.test/r"
                + "</activate></query></iq>"))).isEqualTo("item-not-found");
        assertThat(condition(iq(romeo, "<iq type='set' id='v2' to='" + PROXY + "'>"
                + "<query xmlns='http://jabber.org/protocol/bytestreams'><activate>juliet@other.test/r"
                + "</activate></query></iq>"))).isEqualTo("bad-request");
    }

    @Test
    void theHashIsOfSidRequesterAndTarget() throws Exception {
        // §5.3.2: "SHA1(SID + Requester JID + Target JID) ... hexadecimal-encoded"; §7's example gives
        // dstaddr='416781edf1ae50bad01cb8509ba35b43952bc345' for sid yia72g3v49j7 and these JIDs.
        assertThat(StreamhostRequests.hash("yia72g3v49j7", Jids.parse("requester@example.com/foo"),
                Jids.parse("room@conference.example.net/Tget"))).isEqualTo("416781edf1ae50bad01cb8509ba35b43952bc345");
    }

    private static List<String> items(TestClient client, String domain) {
        return iq(client, "<iq type='get' id='d1' to='" + domain + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>").element("query").elements("item")
                .stream().map(item -> item.attributeValue("jid")).toList();
    }
}
