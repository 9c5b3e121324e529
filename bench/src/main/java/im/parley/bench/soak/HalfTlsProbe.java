package im.parley.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;

/**
 * Half a TLS handshake: the client's hello goes out, the server answers with its first flight
 * (hello, certificate, key share), and the client vanishes. On the c2s port the stream asks for
 * STARTTLS first (RFC 6120 §5.4.2.3: TLS starts after {@code <proceed/>}); on the direct TLS port
 * (XEP-0368) the hello is the first thing sent.
 */
final class HalfTlsProbe extends RawProbe {
    private final SslContext tls;
    private final boolean startTls;
    private boolean startTlsSent;
    private boolean tlsStarted;

    /** {@code startTls} false: on the direct TLS port. */
    HalfTlsProbe(ProbeTally tally, double answerSeconds, String domain, SslContext tls, boolean startTls) {
        super(tally, answerSeconds, domain);
        this.tls = tls;
        this.startTls = startTls;
    }

    @Override
    void connected(ChannelHandlerContext ctx) {
        if (startTls) {
            openStream(ctx);
        } else {
            startTls(ctx);
        }
    }

    @Override
    void receivedBytes(ChannelHandlerContext ctx, ByteBuf bytes, CharSequence all) {
        String text = all.toString();
        if (tlsStarted) {
            expected(ctx);
        } else if (startTlsSent) {
            if (text.contains("<proceed")) {
                startTls(ctx);
            }
        } else if (text.contains("</stream:features>")) {
            if (!text.contains("<starttls")) {
                unexpected(ctx, "no STARTTLS offered");
                return;
            }
            startTlsSent = true;
            write(ctx, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        }
    }

    /** The TLS handler goes after this probe, which keeps seeing the raw records first. */
    private void startTls(ChannelHandlerContext ctx) {
        tlsStarted = true;
        ctx.pipeline().addLast("tls", tls.newHandler(ctx.alloc()));
        ctx.pipeline().addLast("quiet", new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                // the handshake this probe leaves half done fails when it vanishes: as intended
            }
        });
    }
}
