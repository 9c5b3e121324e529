package im.parley.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bytes that are not XML. Half the probes open a stream first and then send a broken tag and
 * random bytes, which must get a stream error (RFC 6120 §4.9.3.13 {@code not-well-formed}, or
 * another condition random bytes happen to hit) and the end of the connection; the other half
 * start with what looks like a TLS record on the plain port, which must only be closed.
 */
final class GarbageProbe extends RawProbe {
    private static final int RANDOM_BYTES = 64;

    private final boolean afterHeader = ThreadLocalRandom.current().nextBoolean();
    private boolean sent;

    GarbageProbe(ProbeTally tally, double answerSeconds, String domain) {
        super(tally, answerSeconds, domain);
    }

    @Override
    void connected(ChannelHandlerContext ctx) {
        if (afterHeader) {
            openStream(ctx);
        } else {
            sendGarbage(ctx, new byte[] {0x16, 0x03, 0x01});
        }
    }

    @Override
    void receivedBytes(ChannelHandlerContext ctx, ByteBuf bytes, CharSequence all) {
        if (afterHeader && !sent && all.toString().contains("</stream:features>")) {
            sendGarbage(ctx, "</>".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @Override
    void serverClosed(ChannelHandlerContext ctx, CharSequence all) {
        if (!sent) {
            unexpected(ctx, "closed before the garbage was sent");
        } else if (afterHeader && !all.toString().contains("<stream:error")) {
            unexpected(ctx, "closed without a stream error after " + preview(all));
        } else {
            expected(ctx);
        }
    }

    private void sendGarbage(ChannelHandlerContext ctx, byte[] prefix) {
        byte[] garbage = new byte[prefix.length + RANDOM_BYTES];
        ThreadLocalRandom.current().nextBytes(garbage);
        System.arraycopy(prefix, 0, garbage, 0, prefix.length);
        sent = true;
        write(ctx, garbage);
    }
}
