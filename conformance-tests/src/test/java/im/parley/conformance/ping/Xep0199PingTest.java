package im.parley.conformance.ping;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.raw.RawXmppClient;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * XMPP Ping (XEP-0199 §4.2): a client pings its server at the domain, at its own bare JID and
 * without {@code to} (both of which the server answers on the account's behalf, RFC 6120
 * §10.3.3), and gets an empty result each time.
 */
class Xep0199PingTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("XEP-0199 §4.2, RFC 6120 §10.3.3: a ping to the domain, the own bare JID or no one is answered")
    void theServerAnswersPingsForItselfAndOnTheAccountsBehalf() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = parley.raw();
        client.login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "pinger");

        for (String to : new String[] {" to='" + ParleyServerExtension.DOMAIN + "'", " to='" + romeo + "'", ""}) {
            Element pong = client.iq("<iq type='get' id='%s'" + to + "><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(pong.attributeValue("type")).as("ping%s", to).isEqualTo("result");
            assertThat(pong.elements()).as("an empty result").isEmpty();
        }
    }
}
