package im.parley.bench.jmh;

import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Stanzas per second that {@link XmppElementEncoder} serialises from dom4j elements into
 * (pooled) buffers on one core, after a stream header, as on a client connection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class XmppElementEncoderBenchmark {
    private final List<Element> stanzas = new ArrayList<>();
    private EmbeddedChannel channel;
    private int next;

    @Setup
    public void parseSamples() {
        EmbeddedChannel decoder = new EmbeddedChannel(new XmppStreamDecoder(XmlLimits.defaults()));
        decoder.writeInbound(Unpooled.copiedBuffer(StanzaSamples.HEADER, StandardCharsets.UTF_8));
        decoder.writeInbound(Unpooled.wrappedBuffer(StanzaSamples.body(3)));
        Object decoded;
        while ((decoded = decoder.readInbound()) != null) {
            if (decoded instanceof Element element) {
                stanzas.add(element);
            }
        }
        channel = new EmbeddedChannel(new XmppElementEncoder());
        channel.writeOutbound(new StreamOpen("romeo@example.org", "example.org", "s1", "1.0", "en", "jabber:client"));
        ((ByteBuf) channel.readOutbound()).release();
    }

    @TearDown
    public void close() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public void encode(Blackhole sink) {
        Element stanza = stanzas.get(next++ % stanzas.size());
        channel.writeOutbound(stanza);
        ByteBuf out = channel.readOutbound();
        sink.consume(out.readableBytes());
        out.release();
    }
}
