package im.parley.server.modules.proxy65;

import static im.parley.server.modules.XmppScript.condition;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import java.util.Set;
import java.util.function.Predicate;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;

/** Who may use the proxy (XEP-0065 §4: "the Proxy MUST return a forbidden error"), without a server. */
class StreamhostRequestsTest {

    private static final String ADDRESS = "<iq type='get' id='a1' to='proxy.parley.test'>"
            + "<query xmlns='http://jabber.org/protocol/bytestreams'/></iq>";
    private static final String ACTIVATE = "<iq type='set' id='v1' to='proxy.parley.test'>"
            + "<query xmlns='http://jabber.org/protocol/bytestreams' sid='s1'><activate>romeo@parley.test/r</activate>"
            + "</query></iq>";

    @Test
    void usersOfOtherServersAreForbiddenUnlessRemoteUseIsAllowed() throws Exception {
        Set<DomainBareJid> hosted = Set.of(Jids.parseDomain("parley.test"));
        StreamhostRequests localOnly = requests(Proxy65Module.allowed(false, hosted));
        StreamhostRequests open = requests(Proxy65Module.allowed(true, hosted));
        Jid stranger = Jids.parse("mallory@elsewhere.example/x");

        assertThat(condition(answer(localOnly, ADDRESS, stranger))).isEqualTo("forbidden");
        assertThat(condition(answer(localOnly, ACTIVATE, stranger))).isEqualTo("forbidden");
        assertThat(condition(answer(localOnly, ADDRESS, Jids.parse("elsewhere.example")))).isEqualTo("forbidden");
        assertThat(answer(localOnly, ADDRESS, Jids.parse("juliet@parley.test/b")).attributeValue("type"))
                .isEqualTo("result");

        assertThat(answer(open, ADDRESS, stranger).element("query").element("streamhost").attributeValue("port"))
                .isEqualTo("7777");
        // §6.3.5: allowed, but nobody connected for the stream.
        assertThat(condition(answer(open, ACTIVATE, stranger))).isEqualTo("item-not-found");
    }

    private static StreamhostRequests requests(Predicate<Jid> allowed) throws Exception {
        return new StreamhostRequests(Jids.parseDomain("proxy.parley.test"), "127.0.0.1", () -> 7777, allowed,
                new Bytestreams(10, 10));
    }

    private static Element answer(StreamhostRequests requests, String xml, Jid from) throws Exception {
        Element iq = DocumentHelper.parseText(xml).getRootElement();
        iq.addAttribute("from", from.toString());
        return requests.bytestreams(new Stanza(iq, from, Jids.parse("proxy.parley.test")))
                .toCompletableFuture().join();
    }
}
