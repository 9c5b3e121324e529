package im.parley.core.xml;

import static im.parley.core.xml.DecoderHarness.HEADER;
import static im.parley.core.xml.DecoderHarness.faultOf;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.stream.StreamErrorCondition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/** Size and depth limits (RFC 6120 §4.9.3.14 policy-violation, §13.12 denial of service). */
class XmppStreamDecoderLimitsTest {

    /** A message stanza of exactly {@code size} bytes. */
    private static String stanzaOfSize(int size) {
        String open = "<message><body>";
        String close = "</body></message>";
        return open + "x".repeat(size - open.length() - close.length()) + close;
    }

    @Test
    void stanzaAtTheLimitPassesAndOneByteMoreFails() {
        XmlLimits limits = new XmlLimits(200, 64);
        var ok = new DecoderHarness(limits).write(HEADER + stanzaOfSize(200)).read();
        assertThat(ok).hasSize(2);
        assertThat(ok.get(1)).isInstanceOf(Element.class);

        var tooBig = new DecoderHarness(limits).write(HEADER + stanzaOfSize(201)).read();
        assertThat(faultOf(tooBig)).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(((StreamFault) tooBig.get(1)).error().text()).isEqualTo("stanza larger than 200 bytes");
    }

    @Test
    void limitDoesNotDependOnChunking() {
        XmlLimits limits = new XmlLimits(200, 64);
        for (int size : new int[] {200, 201}) {
            byte[] bytes = (HEADER + stanzaOfSize(size) + "<presence/>").getBytes(StandardCharsets.UTF_8);
            var whole = DecoderHarness.describe(limits, bytes);
            for (int i = 1; i < bytes.length; i++) {
                assertThat(DecoderHarness.describe(limits, Arrays.copyOfRange(bytes, 0, i),
                        Arrays.copyOfRange(bytes, i, bytes.length))).as("size %d split %d", size, i).isEqualTo(whole);
            }
        }
    }

    /**
     * The limit comes first in the bytes, so it is the answer (RFC 6120 §4.9.3.14), read at once
     * or split. Found by fuzzing: read at once, the parser had already found the error further
     * on and the stream ended {@code not-well-formed}.
     */
    @Test
    void anErrorPastTheLimitIsThePolicyViolation() {
        XmlLimits limits = new XmlLimits(200, 64);
        byte[] header = ("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='" + "x".repeat(300) + "<'>")
                .getBytes(StandardCharsets.UTF_8);
        byte[] stanza = (HEADER + "<message to='" + "x".repeat(300) + "<'/>").getBytes(StandardCharsets.UTF_8);
        for (byte[] bytes : new byte[][] {header, stanza}) {
            var whole = DecoderHarness.describe(limits, bytes);
            assertThat(whole.get(whole.size() - 1)).isEqualTo("fault:policy-violation");
            for (int i = 1; i < bytes.length; i += 7) {
                assertThat(DecoderHarness.describe(limits, Arrays.copyOfRange(bytes, 0, i),
                        Arrays.copyOfRange(bytes, i, bytes.length))).as("split at %d", i).isEqualTo(whole);
            }
        }
    }

    @Test
    void unfinishedStanzaFailsAsSoonAsItPassesTheLimit() {
        var harness = new DecoderHarness(new XmlLimits(200, 64)).write(HEADER + "<message><body>");
        harness.write("x".repeat(150));
        assertThat(harness.read()).hasSize(1);
        harness.write("x".repeat(100));
        assertThat(faultOf(harness.read())).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void unfinishedStartTagFailsAsSoonAsItPassesTheLimit() {
        var harness = new DecoderHarness(new XmlLimits(200, 64)).write(HEADER + "  <message to='");
        for (int i = 0; i < 3; i++) {
            harness.write("x".repeat(50));
        }
        assertThat(harness.read()).hasSize(1);
        harness.write("x".repeat(50));
        assertThat(faultOf(harness.read())).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void raisedLimitAppliesToLaterStanzas() {
        var harness = new DecoderHarness(new XmlLimits(300, 64)).write(HEADER);
        harness.decoder.setMaxStanzaBytes(1000);
        harness.write(stanzaOfSize(1000));
        var out = harness.read();
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isInstanceOf(Element.class);
        harness.write(stanzaOfSize(1001));
        assertThat(faultOf(harness.read())).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void oversizedHeaderFails() {
        String longHeader = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='" + "a".repeat(300) + "'>";
        assertThat(faultOf(new DecoderHarness(new XmlLimits(200, 64)).write(longHeader).read()))
                .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        // Unfinished: fails without waiting for the closing '>'.
        var harness = new DecoderHarness(new XmlLimits(200, 64));
        harness.write(longHeader.substring(0, 250));
        assertThat(faultOf(harness.read())).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void nestingDeeperThanTheLimitFails() {
        XmlLimits limits = new XmlLimits(8192, 3);
        var ok = new DecoderHarness(limits).write(HEADER + "<a><b><c/></b></a>").read();
        assertThat(ok).hasSize(2);
        var deep = new DecoderHarness(limits).write(HEADER + "<a><b><c><d/></c></b></a>").read();
        assertThat(faultOf(deep)).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(((StreamFault) deep.get(1)).error().text()).isEqualTo("elements nested deeper than 3");
    }

    @Test
    void endlessKeepalivesDoNotFail() {
        var harness = new DecoderHarness(new XmlLimits(200, 64)).write(HEADER);
        for (int i = 0; i < 100; i++) {
            harness.write(" ".repeat(50));
        }
        harness.write("<presence/>");
        assertThat(harness.read()).hasSize(2);
    }
}
