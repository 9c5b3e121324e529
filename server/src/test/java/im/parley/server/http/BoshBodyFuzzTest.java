package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.ElementInvariants;
import im.parley.core.xml.XmlLimits;
import io.netty.buffer.Unpooled;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.dom4j.Element;

/**
 * Fuzzes what a BOSH request body goes through (XEP-0124 §4, XEP-0206 §3): {@link XmlFrameParser}
 * with the limits the HTTP handler gives it, then {@link BoshBody}'s attributes and payload.
 * The input is the HTTP body. Whatever the bytes:
 * <ul>
 *   <li>the parser returns exactly one of an element and a stream error, the error with a
 *       condition bad input can cause (RFC 6120 §4.9.3), and nothing throws;</li>
 *   <li>an accepted element keeps the limits (depth, size on the wire) and is one standalone,
 *       namespace well-formed element by the JDK's own parser: no trailing content, no prefix
 *       borrowed from the parser's synthetic stream;</li>
 *   <li>the numbers {@code rid}, {@code wait}, {@code hold}, {@code ack}, {@code pause} are
 *       absent or within 0 to 2^53 - 1 (XEP-0124 §14.1); each payload child is detached and in
 *       {@code jabber:client} unless it named another namespace (XEP-0206 §3).</li>
 * </ul>
 * Seeds: {@code src/test/resources/im/parley/server/http/BoshBodyFuzzTestInputs/parse/}.
 */
class BoshBodyFuzzTest {

    private static final int MAX_BYTES = 1024;
    private static final int MAX_DEPTH = 8;
    /** Small limits, so that inputs of a few KiB reach them: attributes, declarations, names. */
    private static final XmlLimits LIMITS = new XmlLimits(MAX_BYTES, MAX_DEPTH, 24, 16, 64);
    static final Set<StreamErrorCondition> INPUT_FAULTS = EnumSet.of(
            StreamErrorCondition.NOT_WELL_FORMED, StreamErrorCondition.RESTRICTED_XML,
            StreamErrorCondition.POLICY_VIOLATION, StreamErrorCondition.UNSUPPORTED_ENCODING,
            StreamErrorCondition.BAD_FORMAT);

    @FuzzTest
    void parse(byte[] input) {
        XmlFrameParser.Result result = XmlFrameParser.parse(Unpooled.wrappedBuffer(input), LIMITS);
        assertThat(result.element() == null).as("element xor error").isNotEqualTo(result.error() == null);
        if (result.error() != null) {
            assertThat(result.error().condition()).as(result.error().toString()).isIn(INPUT_FAULTS);
            return;
        }
        Element element = result.element();
        checkFrame(element, input, LIMITS);

        BoshBody body = BoshBody.of(element);
        if (body == null) {
            return;
        }
        for (OptionalLong number : List.of(body.rid(), body.waitSeconds(), body.hold(), body.ack(), body.pauseSeconds())) {
            number.ifPresent(n -> assertThat(n).isBetween(0L, (1L << 53) - 1));
        }
        body.sid();
        body.to();
        body.lang();
        body.xmppVersion();
        body.isRestart();
        body.isTerminate();
        boolean empty = body.isEmpty();
        List<String> namespaces = element.elements().stream().map(Element::getNamespaceURI).toList();
        List<Element> payload = body.payload();
        assertThat(payload.isEmpty()).isEqualTo(empty);
        for (int i = 0; i < payload.size(); i++) {
            Element child = payload.get(i);
            assertThat(child.getParent()).as("detached").isNull();
            String original = namespaces.get(i);
            String expected = original.isEmpty() || original.equals(BoshBody.NAMESPACE) ? Namespaces.CLIENT : original;
            assertThat(child.getNamespaceURI()).isEqualTo(expected);
        }
    }

    /** What every frame the parser accepts must be, whichever transport it came on. */
    static void checkFrame(Element element, byte[] input, XmlLimits limits) {
        ElementInvariants.checkLimits(element, limits);
        assertThat(StandaloneXml.isOneElement(input)).as("one standalone element by the JDK's parser").isTrue();
    }
}
