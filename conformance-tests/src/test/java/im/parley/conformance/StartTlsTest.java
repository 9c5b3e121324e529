package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** STARTTLS (RFC 6120 §5.4) and the plaintext command injection guard (CVE-2011-0411). */
class StartTlsTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("RFC 6120 §11.7: whitespace after <starttls/> (go-xmpp sends a newline) is ignored")
    void whitespaceAfterStartTlsIsIgnored() {
        try (RawXmppClient client = parley.raw()) {
            client.openStream();
            client.features();

            Element features = client.startTls(PinnedTrust.sslContext(parley.certificate()),
                    "<starttls xmlns='" + RawXmppClient.TLS_NS + "'/>\n  ");

            assertThat(RawXmppClient.mechanisms(features)).contains("SCRAM-SHA-256");
        }
    }

    @Test
    @DisplayName("RFC 6120 §5.4.3.3: data pipelined after <starttls/> ends the stream with policy-violation")
    void dataAfterStartTlsIsRefused() {
        try (RawXmppClient client = parley.raw()) {
            client.openStream();
            client.features();

            client.send("<starttls xmlns='" + RawXmppClient.TLS_NS + "'/><iq type='get' id='x'/>");

            assertThat(client.streamErrorCondition()).isEqualTo("policy-violation");
        }
    }
}
