package im.parley.core.xml;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import im.parley.core.stream.StreamErrorCondition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;

/** Bytes in, decoded objects out, through an {@link EmbeddedChannel}. */
final class DecoderHarness {
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    final XmppStreamDecoder decoder;
    final EmbeddedChannel channel;

    DecoderHarness(XmlLimits limits) {
        decoder = new XmppStreamDecoder(limits);
        channel = new EmbeddedChannel(decoder);
    }

    DecoderHarness() {
        this(XmlLimits.defaults());
    }

    DecoderHarness write(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        return this;
    }

    DecoderHarness write(String... chunks) {
        for (String chunk : chunks) {
            write(chunk.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    List<Object> read() {
        List<Object> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add(o);
        }
        return out;
    }

    /** Decodes the chunks with a fresh decoder and describes the output. */
    static List<String> describe(XmlLimits limits, byte[]... chunks) {
        DecoderHarness harness = new DecoderHarness(limits);
        for (byte[] chunk : chunks) {
            harness.write(chunk);
        }
        return harness.read().stream().map(DecoderHarness::describe).toList();
    }

    static String describe(Object decoded) {
        if (decoded instanceof Element element) {
            return XmppElementEncoder.toXml(element);
        }
        if (decoded instanceof StreamFault fault) {
            return "fault:" + fault.error().condition().elementName();
        }
        return decoded.toString();
    }

    /** The condition of the single fault among the outputs (and nothing after it). */
    static StreamErrorCondition faultOf(List<Object> out) {
        Object last = out.get(out.size() - 1);
        if (!(last instanceof StreamFault fault)) {
            throw new AssertionError("no fault in " + out);
        }
        return fault.error().condition();
    }
}
