package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import im.parley.core.xml.ElementInvariants;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dom4j.Element;

/**
 * Fuzzes the WebSocket framing of XMPP (RFC 7395 §3.3): {@link XmppFramingDecoder} fed text
 * messages, as they leave Netty's frame aggregator. The input is the messages separated by form
 * feeds ({@code 0x0C}, which XML 1.0 forbids anyway). Whatever the messages:
 * <ul>
 *   <li>each message gives {@code <open/>} as a header, {@code <close/>} as the stream end, any
 *       other element as itself, or one stream fault with a condition bad input can cause, after
 *       which nothing more comes out; blank messages give nothing; nothing throws;</li>
 *   <li>a message over the size limit faults with {@code policy-violation} (RFC 6120 §4.9.3.14);
 *       an accepted one keeps the limits and is one standalone, namespace well-formed element by
 *       the JDK's own parser (§3.3.3: every message carries its namespace declarations);</li>
 *   <li>what {@link XmppFramingEncoder} writes of a header or element reads back as the same
 *       (an element by the JDK's parser, as a client would read it), so the server's output is
 *       itself a valid message.</li>
 * </ul>
 * Seeds: {@code src/test/resources/im/parley/server/http/XmppFramingDecoderFuzzTestInputs/decode/}.
 */
class XmppFramingDecoderFuzzTest {

    private static final int MAX_BYTES = 1024;
    private static final int MAX_DEPTH = 8;
    /** Small limits, so that inputs of a few KiB reach them: attributes, declarations, names. */
    private static final XmlLimits LIMITS = new XmlLimits(MAX_BYTES, MAX_DEPTH, 24, 16, 64);
    private static final byte SEPARATOR = 0x0C;

    @FuzzTest
    void decode(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmppFramingDecoder(MAX_BYTES, LIMITS));
        boolean faulted = false;
        for (byte[] message : messages(input)) {
            channel.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(message)));
            List<Object> out = read(channel);
            if (faulted || isBlank(message)) {
                assertThat(out).as("nothing after a fault, nothing for a blank message").isEmpty();
                continue;
            }
            assertThat(out).as("one object per message").hasSize(1);
            Object decoded = out.get(0);
            if (decoded instanceof StreamFault fault) {
                faulted = true;
                assertThat(fault.error().condition()).as(fault.error().toString()).isIn(BoshBodyFuzzTest.INPUT_FAULTS);
                if (message.length > MAX_BYTES) {
                    assertThat(fault.error().condition().elementName()).isEqualTo("policy-violation");
                }
                continue;
            }
            assertThat(message.length).as("accepted size").isLessThanOrEqualTo(MAX_BYTES);
            assertThat(StandaloneXml.isOneElement(message)).as("one standalone element by the JDK's parser").isTrue();
            if (decoded instanceof Element element) {
                assertThat(XmppFraming.isOpen(element) || XmppFraming.isClose(element)).as("framing element").isFalse();
                BoshBodyFuzzTest.checkFrame(element, message, LIMITS);
            } else {
                assertThat(decoded).isInstanceOfAny(StreamOpen.class, StreamClose.class);
            }
            checkRoundTrip(decoded);
        }
        channel.finishAndReleaseAll();
    }

    /**
     * The server's own message for the object means the same: an element to a client's standalone
     * parser (the JDK's; our decoder reads unqualified names as {@code jabber:client}, a leniency
     * a client owes nothing), a header or end to our decoder.
     */
    private static void checkRoundTrip(Object decoded) {
        EmbeddedChannel encoder = new EmbeddedChannel(new XmppFramingEncoder());
        encoder.writeOutbound(decoded);
        TextWebSocketFrame frame = encoder.readOutbound();
        String text = frame.text();
        byte[] bytes = ByteBufUtil.getBytes(frame.content());
        frame.release();
        List<Object> reread;
        if (decoded instanceof Element) {
            Element parsed = StandaloneXml.readAsClient(bytes);
            if (parsed == null) {
                return;
            }
            reread = List.of(parsed);
        } else {
            EmbeddedChannel decoder = new EmbeddedChannel(
                    new XmppFramingDecoder(Integer.MAX_VALUE, LIMITS.withMaxStanzaBytes(Integer.MAX_VALUE)));
            decoder.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
            reread = read(decoder);
        }
        assertThat(ElementInvariants.canonical(reread)).as("re-encoded: %s", text)
                .isEqualTo(ElementInvariants.canonical(List.of(decoded)));
    }

    private static List<Object> read(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add(o);
        }
        return out;
    }

    private static List<byte[]> messages(byte[] input) {
        List<byte[]> messages = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == SEPARATOR) {
                messages.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        return messages;
    }

    private static boolean isBlank(byte[] message) {
        for (byte b : message) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
