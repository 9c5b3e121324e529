package im.parley.s2s;

import im.parley.core.routing.Stanza;
import im.parley.core.xml.XmppElementEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.dom4j.Element;

/**
 * Writes an outbound server-to-server stream, holding back what the receiving server said it
 * will not accept: a stanza whose bytes on the wire exceed the {@code <max-bytes/>} of the
 * peer's latest stream features (XEP-0478 §3.1) is not written, as §4 asks, because the peer
 * would end the whole stream over it (RFC 6120 §4.9.3.14) and the stanzas behind it would be
 * lost with it. It goes to {@link TooLarge} instead, which bounces it; the next stanzas are
 * written in order as usual. The size is the one of the very bytes that would be written, in
 * this stream's namespace context, measured by writing them once. Runs on the channel's event
 * loop, as does {@link #peerMaxBytes(int)}.
 */
final class OutboundStreamEncoder extends XmppElementEncoder {

    /** A stanza for the peer: the {@code jabber:server} element to write and the local stanza it was made from. */
    record Outgoing(Stanza stanza, Element element) {
    }

    /** Told about a stanza that was not written because the peer would refuse it. */
    interface TooLarge {
        void refused(Stanza stanza, int bytes, int peerMaxBytes);
    }

    private final TooLarge tooLarge;
    private int peerMaxBytes;

    OutboundStreamEncoder(TooLarge tooLarge) {
        this.tooLarge = tooLarge;
    }

    /**
     * The limit of the peer's latest stream features, or 0 when they announced none: each
     * {@code <stream:features/>} replaces the limit of the previous ones (XEP-0478 §4).
     */
    void peerMaxBytes(int maxBytes) {
        this.peerMaxBytes = maxBytes;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Outgoing || super.acceptOutboundMessage(msg);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (!(msg instanceof Outgoing outgoing)) {
            super.encode(ctx, msg, out);
            return;
        }
        int start = out.writerIndex();
        int bytes = writeElement(out, outgoing.element());
        int limit = peerMaxBytes;
        if (limit > 0 && bytes > limit) {
            out.writerIndex(start);
            tooLarge.refused(outgoing.stanza(), bytes, limit);
        }
    }
}
