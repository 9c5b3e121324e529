package im.parley.server.http;

import im.parley.core.xml.XmlAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes BOSH response bodies (XEP-0124 §4, §6) and sends them as HTTP responses. */
final class BoshResponses {

    private BoshResponses() {
    }

    /**
     * A {@code <body/>} with the given attributes (in order, values escaped) around already
     * serialized payload elements.
     */
    static String body(Map<String, String> attributes, List<String> payload) {
        StringBuilder xml = new StringBuilder(128 + payload.stream().mapToInt(String::length).sum());
        xml.append("<body xmlns='").append(BoshBody.NAMESPACE).append('\'');
        attributes.forEach((name, value) ->
                XmlAttributes.appendEscaped(xml.append(' ').append(name).append("='"), value).append('\''));
        if (payload.isEmpty()) {
            return xml.append("/>").toString();
        }
        xml.append('>');
        payload.forEach(xml::append);
        return xml.append("</body>").toString();
    }

    /** XEP-0124 §17.1: a terminal binding condition ends the session. */
    static String terminate(String condition) {
        return body(condition == null ? Map.of("type", "terminate") : Map.of("type", "terminate", "condition", condition),
                List.of());
    }

    /** Sends a body as the response to one HTTP request; keeps the connection if the client asked to. */
    static void send(Channel channel, boolean keepAlive, String body) {
        send(channel, keepAlive, HttpResponseStatus.OK, body);
    }

    static void send(Channel channel, boolean keepAlive, HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/xml; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(response, channel.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
