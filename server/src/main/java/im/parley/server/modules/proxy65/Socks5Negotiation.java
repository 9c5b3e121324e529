package im.parley.server.modules.proxy65;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5Message;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SOCKS5 side of XEP-0065 (RFC 1928 as §6.3.2 profiles it): the "no authentication" method
 * only (RFC 1928 §3), then one CONNECT (§4) whose DST.ADDR is a DOMAINNAME holding the stream's
 * hex SHA1 hash and DST.PORT 0. The reply's BND.ADDR and BND.PORT echo them (XEP-0065 §6.3.2: the
 * Proxy "MUST set the BND.ADDR and BND.PORT to the DST.ADDR and DST.PORT values"). Then this
 * handler and the codec leave the pipeline to the {@link RelayHandler}.
 */
final class Socks5Negotiation extends SimpleChannelInboundHandler<Socks5Message> {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{40}");

    private final Bytestreams bytestreams;
    private final RelayHandler relay;

    Socks5Negotiation(Bytestreams bytestreams, RelayHandler relay) {
        this.bytestreams = bytestreams;
        this.relay = relay;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Socks5Message message) {
        if (message.decoderResult().isFailure()) {
            ctx.close();
        } else if (message instanceof Socks5InitialRequest initial) {
            greeting(ctx, initial);
        } else if (message instanceof Socks5CommandRequest request) {
            connect(ctx, request);
        } else {
            ctx.close();
        }
    }

    private void greeting(ChannelHandlerContext ctx, Socks5InitialRequest initial) {
        if (!initial.authMethods().contains(Socks5AuthMethod.NO_AUTH)) {
            // RFC 1928 §3: X'FF', "the client MUST close the connection"; we do too.
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().addFirst("socks5-command", new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
    }

    private void connect(ChannelHandlerContext ctx, Socks5CommandRequest request) {
        String hash = request.dstAddr() == null ? "" : request.dstAddr().toLowerCase(Locale.ROOT);
        Socks5CommandStatus refusal = null;
        if (request.type() != Socks5CommandType.CONNECT) {
            refusal = Socks5CommandStatus.COMMAND_UNSUPPORTED;
        } else if (request.dstAddrType() != Socks5AddressType.DOMAIN || !HASH.matcher(hash).matches()) {
            refusal = Socks5CommandStatus.ADDRESS_UNSUPPORTED;
        } else if (!bytestreams.connected(hash, relay)) {
            // A third party for the stream, or too many streams waiting.
            refusal = Socks5CommandStatus.FORBIDDEN;
        }
        if (refusal != null) {
            ctx.writeAndFlush(new DefaultSocks5CommandResponse(refusal, Socks5AddressType.IPv4))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        relay.waiting(hash);
        ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, Socks5AddressType.DOMAIN,
                request.dstAddr(), request.dstPort()));
        // Bytes that came with the request pass from the decoders to the relay, which drops them.
        ctx.pipeline().remove(this);
        ctx.pipeline().remove(Socks5CommandRequestDecoder.class);
        ctx.pipeline().remove(Socks5InitialRequestDecoder.class);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
