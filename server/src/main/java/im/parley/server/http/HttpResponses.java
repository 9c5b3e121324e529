package im.parley.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Small complete HTTP responses: a status and a short text, on a connection kept or closed after it. */
public final class HttpResponses {

    static final String TEXT = "text/plain; charset=utf-8";

    private HttpResponses() {
    }

    /** A response with a short UTF-8 text of type {@code text/plain}. */
    public static FullHttpResponse text(HttpResponseStatus status, String text) {
        return of(status, TEXT, text);
    }

    /** A response with a body of {@code type}, written in UTF-8. */
    public static FullHttpResponse of(HttpResponseStatus status, String type, String text) {
        ByteBuf content = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH,
                content.readableBytes());
        return response;
    }

    /** Sends a response; without keep-alive the connection closes once it is written. */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A plain-text error, after which the connection closes: the request could not be read to its end. */
    static void sendAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        send(ctx, false, of(status, TEXT, text));
    }
}
