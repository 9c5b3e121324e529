package im.parley.bench.jmh;

import im.parley.core.xml.XmlLimits;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Stanzas per second that {@link XmppStreamDecoder} turns from bytes into dom4j elements on one
 * core: a batch of {@value #STANZAS} mixed stanzas arrives in one buffer, as under load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class XmppStreamDecoderBenchmark {
    static final int STANZAS = 300;

    private final byte[] body = StanzaSamples.body(STANZAS);
    private EmbeddedChannel channel;

    @Setup(Level.Invocation)
    public void openStream() {
        channel = new EmbeddedChannel(new XmppStreamDecoder(XmlLimits.defaults()));
        channel.writeInbound(Unpooled.copiedBuffer(StanzaSamples.HEADER, StandardCharsets.UTF_8));
        channel.readInbound();
    }

    @Benchmark
    @OperationsPerInvocation(STANZAS)
    public void decode(Blackhole sink) {
        ByteBuf buffer = Unpooled.wrappedBuffer(body);
        channel.writeInbound(buffer);
        Object element;
        while ((element = channel.readInbound()) != null) {
            sink.consume(element);
        }
    }
}
