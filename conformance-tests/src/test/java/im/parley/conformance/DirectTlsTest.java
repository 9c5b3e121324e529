package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Direct TLS (XEP-0368): TLS from the first byte on its own port, then the usual stream. */
class DirectTlsTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /** XEP-0368 §3: the client starts TLS at once; no STARTTLS is offered, SASL (with -PLUS) is. */
    @Test
    @DisplayName("XEP-0368 §3: on the direct TLS port SASL is offered at once, STARTTLS is not")
    void featuresOnDirectTls() {
        RawXmppClient client = parley.rawDirectTls();
        client.openStream();

        Element features = client.features();

        assertThat(features.element(QName.get("starttls", RawXmppClient.TLS_NS))).isNull();
        assertThat(RawXmppClient.mechanisms(features)).contains("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN");
    }

    /**
     * XEP-0368 §3 with RFC 6121 §5.2.2: a client-SDK user over direct TLS and one over STARTTLS
     * chat both ways.
     */
    @Test
    @DisplayName("XEP-0368 §3: an SDK client over direct TLS chats with an SDK client over STARTTLS")
    void sdkOverDirectTls() {
        SdkUser romeo = parley.sdkLoggedInOverDirectTls("romeo");
        SdkUser juliet = parley.sdkLoggedIn("juliet");

        romeo.sendsChat(juliet, "over direct TLS");
        juliet.receivesChat(romeo, "over direct TLS");
        juliet.sendsChat(romeo, "over STARTTLS");
        romeo.receivesChat(juliet, "over STARTTLS");
    }

    /** XEP-0368 with RFC 5929: SCRAM-SHA-512-PLUS on a direct TLS stream (raw client). */
    @Test
    @DisplayName("XEP-0368: raw client binds SCRAM-SHA-512-PLUS to the direct TLS channel")
    void scramPlusOverDirectTls() {
        var account = parley.newAccount("romeo");
        RawXmppClient client = parley.rawDirectTls();
        client.openStream();
        client.features();

        Element outcome = client.authenticate(new im.parley.conformance.raw.ScramClient(
                im.parley.conformance.raw.ScramClient.Hash.SHA_512, account.getLocalpart().toString(),
                ParleyServerExtension.PASSWORD, client.tlsServerEndPoint(), true));

        assertThat(outcome.getName()).isEqualTo("success");
    }
}
