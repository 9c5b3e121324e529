package im.parley.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/** Opens a stream, waits for the features (RFC 6120 §4.3.2) and vanishes. */
final class VanishingStreamProbe extends RawProbe {
    VanishingStreamProbe(ProbeTally tally, double answerSeconds, String domain) {
        super(tally, answerSeconds, domain);
    }

    @Override
    void receivedBytes(ChannelHandlerContext ctx, ByteBuf bytes, CharSequence all) {
        if (all.toString().contains("</stream:features>")) {
            expected(ctx);
        }
    }
}
