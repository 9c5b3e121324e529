package im.parley.core.xml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dom4j.Element;

/**
 * Fuzzes {@link XmppStreamDecoder} with whole streams (prolog, header, stanzas), fed in one read
 * and again split at points the input decides (inside tags, names and multi-byte UTF-8
 * sequences alike). Whatever the bytes, the decoder must (RFC 6120 §4, §4.9, §11):
 * <ul>
 *   <li>emit a header, then elements, then the stream end or exactly one stream fault with a
 *       condition RFC 6120 §4.9.3 defines for bad input, and nothing after either; an
 *       exception escaping it fails the fuzz test (the channel rethrows it);</li>
 *   <li>keep its limits (§13.12): no element deeper than {@code maxDepth}, larger on the wire
 *       than {@code maxStanzaBytes}, with more attributes on a tag than {@code maxAttributes},
 *       more namespace declarations than {@code maxNamespaceDeclarations} or more distinct
 *       names than {@code maxNames};</li>
 *   <li>give the same output however the bytes are split across reads (the one allowance is
 *       described at {@link #splitIndependent});</li>
 *   <li>decode what {@link XmppElementEncoder} writes of its output back to the same header and
 *       elements (a stanza the server relays parses the same at the next hop).</li>
 * </ul>
 * Seeds: {@code src/test/resources/im/parley/core/xml/XmppStreamDecoderFuzzTestInputs/decode/}.
 */
class XmppStreamDecoderFuzzTest {

    /** Small limits, so that inputs of a few KiB reach them. */
    private static final XmlLimits LIMITS = new XmlLimits(512, 8, 16, 16, 64);
    /** For decoding the re-encoded output, which escaping and namespace declarations make larger. */
    private static final XmlLimits ROUND_TRIP_LIMITS = new XmlLimits(1 << 20, LIMITS.maxDepth());
    /** What bad input may end a stream with; anything else (internal-server-error) is a bug. */
    private static final Set<StreamErrorCondition> INPUT_FAULTS = EnumSet.of(
            StreamErrorCondition.NOT_WELL_FORMED, StreamErrorCondition.RESTRICTED_XML,
            StreamErrorCondition.POLICY_VIOLATION, StreamErrorCondition.UNSUPPORTED_ENCODING,
            StreamErrorCondition.INVALID_NAMESPACE, StreamErrorCondition.BAD_FORMAT);

    @FuzzTest
    void decode(byte[] input) {
        List<Object> whole = decode(LIMITS, input);
        checkSequence(whole);
        checkLimits(whole);

        List<Object> split = decode(LIMITS, splitPoints(input), input);
        assertThat(splitIndependent(split)).as("the same bytes split across reads").isEqualTo(splitIndependent(whole));

        checkRoundTrip(whole);
    }

    /**
     * The canonical output, with one allowance: text at stream level is {@code bad-format}
     * (§4.9.3.1), but Aalto reads a text token whole when it has all of it and may then first
     * find a malformed reference further on ({@code not-well-formed}, §4.9.3.13), while split
     * text comes in pieces whose first already shows the text. Both are the answer to bad XML
     * at that point; every other difference counts.
     */
    private static List<String> splitIndependent(List<Object> out) {
        return ElementInvariants.canonical(out).stream()
                .map(s -> s.equals("fault:bad-format") ? "fault:not-well-formed" : s).toList();
    }

    static List<Object> decode(XmlLimits limits, byte[] input) {
        return decode(limits, new int[0], input);
    }

    /** Decodes the input in reads ending at the given offsets (and at the end). */
    static List<Object> decode(XmlLimits limits, int[] splitPoints, byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(limits));
        int start = 0;
        for (int end : splitPoints) {
            channel.writeInbound(Unpooled.wrappedBuffer(input, start, end - start));
            start = end;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(input, start, input.length - start));
        // As when the peer closes the connection: the decoder sees the end of its input.
        channel.finish();
        List<Object> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add(o);
        }
        return out;
    }

    /**
     * Up to 8 split points drawn from the input's own hash, plus one inside the first multi-byte
     * UTF-8 sequence: the fuzzer steers them by changing the input.
     */
    static int[] splitPoints(byte[] input) {
        if (input.length < 2) {
            return new int[0];
        }
        Random random = new Random(Arrays.hashCode(input));
        int count = 1 + random.nextInt(8);
        int[] points = new int[count + 1];
        for (int i = 0; i < count; i++) {
            points[i] = 1 + random.nextInt(input.length - 1);
        }
        points[count] = points[0];
        for (int i = 0; i < input.length - 1; i++) {
            if ((input[i] & 0xC0) == 0xC0) {
                points[count] = i + 1;
                break;
            }
        }
        return Arrays.stream(points).sorted().distinct().toArray();
    }

    /** Header, elements, then the end or one fault; nothing after either (RFC 6120 §4.4, §4.9.1.1). */
    private static void checkSequence(List<Object> out) {
        for (int i = 0; i < out.size(); i++) {
            Object o = out.get(i);
            boolean last = i == out.size() - 1;
            if (o instanceof StreamOpen) {
                assertThat(i).as("the header comes first, once").isZero();
            } else if (o instanceof Element) {
                assertThat(i).as("elements come after the header").isPositive();
            } else if (o instanceof StreamClose) {
                assertThat(last).as("nothing after the stream end").isTrue();
            } else if (o instanceof StreamFault fault) {
                assertThat(last).as("nothing after a fault").isTrue();
                assertThat(fault.error().condition()).as(fault.error().toString()).isIn(INPUT_FAULTS);
            } else {
                throw new AssertionError("unexpected output " + o);
            }
        }
    }

    private static void checkLimits(List<Object> out) {
        for (Object o : out) {
            if (o instanceof Element element) {
                ElementInvariants.checkLimits(element, LIMITS);
            }
        }
    }

    /** What the encoder writes of the header and elements decodes to the same header and elements. */
    private static void checkRoundTrip(List<Object> out) {
        List<Object> parsed = out.stream()
                .filter(o -> o instanceof StreamOpen || o instanceof Element).toList();
        if (parsed.isEmpty()) {
            return;
        }
        EmbeddedChannel encoder = new EmbeddedChannel(new XmppElementEncoder());
        parsed.forEach(encoder::writeOutbound);
        ByteBuf encoded = Unpooled.buffer();
        for (ByteBuf b = encoder.readOutbound(); b != null; b = encoder.readOutbound()) {
            encoded.writeBytes(b);
            b.release();
        }
        byte[] bytes = new byte[encoded.readableBytes()];
        encoded.readBytes(bytes).release();
        assertThat(ElementInvariants.canonical(decode(ROUND_TRIP_LIMITS, bytes)))
                .as("re-encoded: %s", new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(ElementInvariants.canonical(parsed));
    }
}
