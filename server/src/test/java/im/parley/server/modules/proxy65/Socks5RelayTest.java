package im.parley.server.modules.proxy65;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The proxy's SOCKS5 side without sockets (RFC 1928 as XEP-0065 §6.3.2 profiles it), and the rule
 * that no byte flows before activation (§6.3.5).
 */
class Socks5RelayTest {

    private static final String HASH = "3bdb0e7fa3d7bb3b0ba1e2a5a8e5d9f0c5e4a3b2";

    private final Bytestreams bytestreams = new Bytestreams(10, 10);

    @Test
    void noAuthenticationThenConnectToTheHashIsAcceptedWithTheAddressEchoed() {
        EmbeddedChannel target = connection();

        // RFC 1928 §3: VER 5, one method, X'00' NO AUTHENTICATION REQUIRED.
        target.writeInbound(bytes(5, 1, 0));
        assertThat(readAll(target)).containsExactly(5, 0);

        // §4: VER 5, CMD CONNECT, RSV, ATYP DOMAINNAME, the 40-byte hash, port 0.
        target.writeInbound(connect(HASH));

        // XEP-0065 §6.3.2: "the Proxy MUST set the BND.ADDR and BND.PORT to the DST.ADDR and DST.PORT values".
        byte[] reply = readAll(target);
        assertThat(reply[1]).as("REP succeeded").isZero();
        assertThat(reply[3]).as("ATYP DOMAINNAME").isEqualTo((byte) 3);
        assertThat(new String(reply, 5, 40, StandardCharsets.US_ASCII)).isEqualTo(HASH);
        assertThat(reply[45]).isZero();
        assertThat(reply[46]).isZero();
        assertThat(bytestreams.pending()).isEqualTo(1);
    }

    @Test
    void aClientWithoutTheNoAuthenticationMethodIsRefused() {
        EmbeddedChannel client = connection();

        // RFC 1928 §3: only USERNAME/PASSWORD (X'02') offered; X'FF': "NO ACCEPTABLE METHODS".
        client.writeInbound(bytes(5, 1, 2));

        assertThat(readAll(client)).containsExactly(5, 0xff);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void aThirdConnectionForAStreamIsRefused() {
        connected(HASH);
        connected(HASH);
        EmbeddedChannel third = connection();
        third.writeInbound(bytes(5, 1, 0));
        readAll(third);

        third.writeInbound(connect(HASH));

        // XEP-0065 Implementation Notes: "allow only one Target to connect to a bytestream"; RFC 1928 §6 X'02'.
        assertThat(readAll(third)[1]).as("REP connection not allowed by ruleset").isEqualTo((byte) 2);
        assertThat(third.isOpen()).isFalse();
    }

    @Test
    void bytesBeforeActivationAreDroppedAndEverythingAfterFlows() {
        EmbeddedChannel target = connected(HASH);
        EmbeddedChannel requester = connected(HASH);

        requester.writeInbound(Unpooled.copiedBuffer("early bytes", StandardCharsets.US_ASCII));
        target.writeInbound(Unpooled.copiedBuffer("from the target", StandardCharsets.US_ASCII));
        runTasks(target, requester);

        // Implementation Notes (1.8): a StreamHost SHOULD "Ignore any bytes sent before the bytestream is activated".
        assertThat(readAll(target)).isEmpty();
        assertThat(readAll(requester)).isEmpty();

        // XEP-0065 §6.3.5: after the activation "the parties can begin exchanging data over the bytestream".
        Bytestreams.Outcome activation = bytestreams.activate(HASH);
        assertThat(activation.activation()).isEqualTo(Bytestreams.Activation.ACTIVATED);
        assertThat(activation.relaying().toCompletableFuture()).as("relaying starts on the event loops").isNotDone();
        runTasks(target, requester);
        assertThat(activation.relaying().toCompletableFuture()).isDone();
        requester.writeInbound(Unpooled.copiedBuffer(" and more", StandardCharsets.US_ASCII));
        runTasks(target, requester);

        assertThat(new String(readAll(target), StandardCharsets.US_ASCII)).isEqualTo(" and more");
        assertThat(readAll(requester)).as("what the target sent before activation").isEmpty();
        target.writeInbound(Unpooled.copiedBuffer("from the target", StandardCharsets.US_ASCII));
        runTasks(target, requester);
        assertThat(new String(readAll(requester), StandardCharsets.US_ASCII)).isEqualTo("from the target");
        assertThat(bytestreams.transfers()).isEqualTo(1);

        requester.close();
        runTasks(target, requester);
        assertThat(target.isOpen()).as("the peer's close ends the stream").isFalse();
        assertThat(bytestreams.transfers()).isZero();
    }

    /**
     * Back-pressure without a lost wake-up: the two sides of a stream live on different event
     * loops, so the receiving side may drain and report itself writable between the moment the
     * sending side saw it full and the moment the sending side stopped reading. The sending side
     * must not then stay stopped for good (a transfer hung so once in CI: XEP-0065 §6.3.5, "the
     * parties can begin exchanging data", and go on doing so).
     */
    @Test
    void aSideThatStopsReadingJustAsItsPeerDrainsReadsAgain() {
        EmbeddedChannel target = connected(HASH);
        WakeUpRace requester = new WakeUpRace();
        requester.pipeline().addLast(Socks5ServerEncoder.DEFAULT, new Socks5InitialRequestDecoder(),
                new Socks5Negotiation(bytestreams, requester.relay), requester.relay);
        requester.writeInbound(bytes(5, 1, 0));
        requester.writeInbound(connect(HASH));
        readAll(requester);
        bytestreams.activate(HASH);
        runTasks(target, requester);
        // The target's side takes at most 8 bytes before it is full.
        target.config().setWriteBufferWaterMark(new WriteBufferWaterMark(4, 8));
        target.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // Holds what is written until the test lets it go, as a slow socket would.
            }
        });
        // The moment the requester's side stops reading, the target's side drains (on its own loop).
        requester.beforeReadingStops = () -> {
            target.pipeline().firstContext().flush();
            target.runPendingTasks();
            readAll(target);
        };

        requester.writeInbound(Unpooled.copiedBuffer("sixteen bytes!!!", StandardCharsets.US_ASCII));
        runTasks(target, requester);

        assertThat(target.isWritable()).as("the target's side drained").isTrue();
        assertThat(requester.config().isAutoRead()).as("the requester's side reads again").isTrue();
    }

    /** A connection whose side of the relay lets the test run something just before it stops reading. */
    private final class WakeUpRace extends EmbeddedChannel {
        final RelayHandler relay = new RelayHandler(bytestreams, 0);
        Runnable beforeReadingStops = () -> { };
        private final DefaultChannelConfig config = new DefaultChannelConfig(this) {
            @Override
            public ChannelConfig setAutoRead(boolean autoRead) {
                if (!autoRead) {
                    Runnable race = beforeReadingStops;
                    beforeReadingStops = () -> { };
                    race.run();
                }
                return super.setAutoRead(autoRead);
            }
        };

        @Override
        public ChannelConfig config() {
            return config;
        }
    }

    @Test
    void anUnactivatedConnectionIsClosedByItsDeadline() {
        EmbeddedChannel target = connected(HASH);
        RelayHandler relay = target.pipeline().get(RelayHandler.class);

        relay.closeUnlessActive();

        assertThat(target.isOpen()).isFalse();
        assertThat(bytestreams.pending()).isZero();
    }

    private EmbeddedChannel connection() {
        RelayHandler relay = new RelayHandler(bytestreams, 0);
        return new EmbeddedChannel(Socks5ServerEncoder.DEFAULT, new Socks5InitialRequestDecoder(),
                new Socks5Negotiation(bytestreams, relay), relay);
    }

    private EmbeddedChannel connected(String hash) {
        EmbeddedChannel channel = connection();
        channel.writeInbound(bytes(5, 1, 0));
        channel.writeInbound(connect(hash));
        byte[] replies = readAll(channel);
        assertThat(replies[3]).as("REP succeeded").isZero();
        return channel;
    }

    private static ByteBuf connect(String hash) {
        ByteBuf request = Unpooled.buffer();
        request.writeBytes(new byte[] {5, 1, 0, 3, 40}).writeCharSequence(hash, StandardCharsets.US_ASCII);
        return request.writeShort(0);
    }

    private static ByteBuf bytes(int... values) {
        ByteBuf buffer = Unpooled.buffer();
        for (int value : values) {
            buffer.writeByte(value);
        }
        return buffer;
    }

    private static void runTasks(EmbeddedChannel... channels) {
        for (int round = 0; round < 3; round++) {
            for (EmbeddedChannel channel : channels) {
                channel.runPendingTasks();
            }
        }
    }

    private static byte[] readAll(EmbeddedChannel channel) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            all.writeBytes(out);
            out.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }
}
