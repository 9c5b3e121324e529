package im.parley.conformance.sm;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.raw.RawXmppClient;
import im.parley.conformance.raw.ScramClient;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * XEP-0198 (1.6.1) §3, enabling stream management: "The client MUST NOT attempt to negotiate
 * stream management until it is authenticated [...] For client-to-server connections, the client
 * MUST NOT attempt to enable stream management until after it has completed Resource Binding
 * unless it is resuming a previous session [...] The server SHALL enforce this order and return a
 * &lt;failed/&gt; element in response if the order is violated". §6 (error handling): the
 * &lt;failed/&gt; element "SHOULD contain an error condition, which MUST be one of the stanza error
 * conditions", as in its example, {@code <unexpected-request/>}; "Stream management errors
 * SHOULD be considered recoverable": the stream goes on.
 */
class Xep0198Section3Test {

    private static final String SM = "urn:xmpp:sm:3";

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("XEP-0198 §3: <enable/> before authentication and before binding is answered <failed/>, and the login goes on")
    void enableOutOfOrderFailsAndTheStreamGoesOn() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        client.startTls();

        assertUnexpectedRequest(enable(client));

        Element outcome = client.authenticate(new ScramClient(ScramClient.Hash.SHA_256,
                romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD));
        assertThat(outcome.getName()).isEqualTo("success");
        client.restartStream();

        assertUnexpectedRequest(enable(client));

        RawXmppClient.boundJid(client.bind("orchard"));
        Element enabled = enable(client);
        assertThat(enabled.getName()).as("after binding, in order").isEqualTo("enabled");
    }

    private static Element enable(RawXmppClient client) {
        client.send("<enable xmlns='" + SM + "'/>");
        Element answer = client.nextElement();
        assertThat(answer.getNamespaceURI()).as(answer.asXML()).isEqualTo(SM);
        return answer;
    }

    private static void assertUnexpectedRequest(Element failed) {
        assertThat(failed.getName()).as(failed.asXML()).isEqualTo("failed");
        assertThat(failed.element(org.dom4j.QName.get("unexpected-request", RawXmppClient.STANZA_ERRORS_NS)))
                .as(failed.asXML()).isNotNull();
    }
}
