package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.conformance.raw.ScramClient;
import im.parley.core.net.ByteRate;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * Stream Limits Advertisement (XEP-0478 §3): "The responding entity advertises its limits in the
 * <stream:features/> element that it sends at the start of the stream", {@code <max-bytes/>} being
 * "the maximum size of any first-level stream elements (including stanzas), in bytes the
 * announcing entity is willing to accept". Parley's limit is smaller before authentication
 * (RFC 6120 §13.12), so each stream's features carry the one in force on it.
 */
class StreamLimitsTest {

    private static final String NS = "urn:xmpp:stream-limits:0";

    /** Without the client read rate: a test sends 512 KB, which 10 kB/s would take most of a minute to read. */
    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension(limits -> limits.withInput(
            limits.input().withC2sRead(ByteRate.UNLIMITED)));

    @Test
    @DisplayName("XEP-0478 §3: each stream's features carry the size limit in force on it")
    void everyStreamAdvertisesItsLimit() {
        EntityBareJid account = parley.newAccount("limits");
        try (RawXmppClient client = parley.raw()) {
            client.openStream();
            assertThat(maxBytes(client.features())).isEqualTo(8 * 1024);
            assertThat(maxBytes(client.startTls())).isEqualTo(8 * 1024);
            Element outcome = client.authenticate(new ScramClient(ScramClient.Hash.SHA_256,
                    account.getLocalpart().toString(), ParleyServerExtension.PASSWORD));
            assertThat(outcome.getName()).isEqualTo("success");
            assertThat(maxBytes(client.restartStream())).isEqualTo(256 * 1024);
        }
    }

    @Test
    @DisplayName("XEP-0478 §3: an element of the advertised size is accepted, one byte more is refused")
    void theAdvertisedSizeIsTheOneEnforced() {
        EntityBareJid account = parley.newAccount("edge");
        try (RawXmppClient client = parley.raw()) {
            client.openStream();
            client.features();
            client.startTls();
            client.authenticate(new ScramClient(ScramClient.Hash.SHA_256, account.getLocalpart().toString(),
                    ParleyServerExtension.PASSWORD));
            int max = maxBytes(client.restartStream());
            String jid = RawXmppClient.boundJid(client.bind("edge"));

            client.send(messageOfSize(jid, "fits", max));
            assertThat(client.nextElement(e -> "fits".equals(e.attributeValue("id")))).isNotNull();

            client.send(messageOfSize(jid, "over", max + 1));
            assertThat(client.streamErrorCondition()).isEqualTo("policy-violation");
        }
    }

    /** A message to {@code jid} of exactly {@code bytes} bytes (ASCII). */
    private static String messageOfSize(String jid, String id, int bytes) {
        String head = "<message to='" + jid + "' id='" + id + "'><body>";
        String tail = "</body></message>";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private static int maxBytes(Element features) {
        Element limits = features.element(QName.get("limits", NS));
        assertThat(limits).as("<limits/> in %s", features.asXML()).isNotNull();
        return Integer.parseInt(limits.elementText(QName.get("max-bytes", NS)));
    }
}
