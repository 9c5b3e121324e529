package im.parley.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * A stanza of 9 KiB before authentication, over the default
 * {@code limits.max_stanza_size_before_auth} (8192 bytes): the server must answer
 * {@code policy-violation} (RFC 6120 §4.9.3.14, §13.12) and close, without reading it all.
 */
final class OversizedStanzaProbe extends RawProbe {
    private static final String STANZA = "<message to='nobody@%s'><body>" + "a".repeat(9 * 1024) + "</body></message>";

    private boolean sent;

    OversizedStanzaProbe(ProbeTally tally, double answerSeconds, String domain) {
        super(tally, answerSeconds, domain);
    }

    @Override
    void receivedBytes(ChannelHandlerContext ctx, ByteBuf bytes, CharSequence all) {
        String text = all.toString();
        if (text.contains("policy-violation")) {
            expected(ctx);
        } else if (!sent && text.contains("</stream:features>")) {
            sent = true;
            write(ctx, String.format(STANZA, domain()));
        }
    }
}
