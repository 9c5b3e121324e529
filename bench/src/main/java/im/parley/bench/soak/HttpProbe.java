package im.parley.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Unfinished business on the HTTP listener: a BOSH session created and abandoned (XEP-0124 §7.1,
 * XEP-0206 §3), a request whose body stops half way and then vanishes or waits for the server's
 * {@code 408 Request Timeout} (RFC 9110 §15.5.9), and a WebSocket upgrade (RFC 6455 §4,
 * RFC 7395 §3.3) left without a frame.
 */
final class HttpProbe extends RawProbe {
    private static final long HALF_SENT_LINGER_MS = 200;
    private static final int DECLARED_BODY = 4096;

    private final ProbeKind kind;
    private final String host;

    /** {@code host}: the Host header, {@code address:port}. */
    HttpProbe(ProbeTally tally, double answerSeconds, String domain, ProbeKind kind, String host) {
        super(tally, answerSeconds, domain);
        this.kind = kind;
        this.host = host;
    }

    @Override
    void connected(ChannelHandlerContext ctx) {
        switch (kind) {
            case BOSH_ABANDONED -> {
                String body = "<body content='text/xml; charset=utf-8' hold='1' rid='"
                        + (1 + ThreadLocalRandom.current().nextInt(1 << 30)) + "' to='" + domain()
                        + "' ver='1.6' wait='60' xml:lang='en' xmpp:version='1.0'"
                        + " xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'/>";
                write(ctx, post(body.length()) + body);
            }
            case HTTP_HALF_SENT, HTTP_STALLED -> {
                write(ctx, post(DECLARED_BODY) + "<body rid='1' xmlns='http://jabber.org/protocol/httpbind'>"
                        + " ".repeat(DECLARED_BODY / 4));
                if (kind == ProbeKind.HTTP_HALF_SENT) {
                    // Long enough for the server to read the headers and start on the body.
                    ctx.executor().schedule(() -> expected(ctx), HALF_SENT_LINGER_MS, TimeUnit.MILLISECONDS);
                }
            }
            case WEBSOCKET_ABANDONED -> write(ctx, "GET /xmpp-websocket HTTP/1.1\r\nHost: " + host
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: xmpp\r\n\r\n");
            default -> throw new IllegalArgumentException(kind + " is not an HTTP probe");
        }
    }

    @Override
    void receivedBytes(ChannelHandlerContext ctx, ByteBuf bytes, CharSequence all) {
        String text = all.toString();
        boolean answered = switch (kind) {
            case BOSH_ABANDONED -> text.startsWith("HTTP/1.1 200") && text.contains("sid=");
            case HTTP_STALLED -> text.startsWith("HTTP/1.1 408");
            case WEBSOCKET_ABANDONED -> text.startsWith("HTTP/1.1 101");
            default -> false;
        };
        if (answered) {
            expected(ctx);
        } else if (text.contains("\r\n\r\n") && !text.startsWith("HTTP/1.1 200") && !text.startsWith("HTTP/1.1 101")) {
            unexpected(ctx, "answered " + text.substring(0, text.indexOf('\r')));
        }
    }

    private String post(int contentLength) {
        return "POST /http-bind HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/xml; charset=utf-8\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }
}
