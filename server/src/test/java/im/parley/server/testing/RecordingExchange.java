package im.parley.server.testing;

import im.parley.server.http.HttpExchange;
import im.parley.server.http.HttpRequestBody;
import im.parley.server.http.HttpService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.ByteArrayOutputStream;

/**
 * One request to an {@link HttpService} without a socket: the test's server runs blocking work
 * inline and this exchange runs event-loop work inline, so the response is there when a call
 * returns. Records the response head and body.
 */
public final class RecordingExchange implements HttpExchange {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private HttpResponse response;
    private boolean ended;
    public boolean paused;
    /** The service asked for the body ({@code 100 Continue} to a client that waits for it). */
    public boolean proceeded;

    /** Sends a request with {@code content} as its body (null: none) to {@code service}. */
    public static RecordingExchange call(HttpService service, HttpMethod method, String path, byte[] content,
                                  String contentType, String origin) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, path);
        if (content != null) {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
        }
        if (contentType != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (origin != null) {
            request.headers().set(HttpHeaderNames.ORIGIN, origin);
        }
        RecordingExchange exchange = new RecordingExchange();
        HttpRequestBody requestBody = service.begin(request, exchange);
        if (content != null) {
            // In two pieces, as a codec would hand them over.
            int half = content.length / 2;
            piece(requestBody, content, 0, half);
            piece(requestBody, content, half, content.length - half);
        }
        requestBody.end();
        return exchange;
    }

    private static void piece(HttpRequestBody body, byte[] content, int offset, int length) {
        ByteBuf piece = Unpooled.wrappedBuffer(content, offset, length);
        try {
            body.content(piece);
        } finally {
            piece.release();
        }
    }

    public int status() {
        return response == null ? -1 : response.status().code();
    }

    public String header(CharSequence name) {
        return response.headers().get(name);
    }

    public byte[] body() {
        return body.toByteArray();
    }

    /** A complete response was sent (all of a streamed body included). */
    public boolean complete() {
        return response != null && ended;
    }

    @Override
    public EventExecutor executor() {
        return ImmediateEventExecutor.INSTANCE;
    }

    @Override
    public void respond(FullHttpResponse full) {
        this.response = full;
        byte[] bytes = bytes(full.content());
        body.write(bytes, 0, bytes.length);
        full.release();
        ended = true;
    }

    @Override
    public void start(HttpResponse head) {
        this.response = head;
    }

    @Override
    public ChannelFuture send(HttpContent piece) {
        byte[] bytes = bytes(piece.content());
        body.write(bytes, 0, bytes.length);
        piece.release();
        if (piece instanceof LastHttpContent) {
            ended = true;
        }
        return channel.newSucceededFuture();
    }

    private static byte[] bytes(ByteBuf content) {
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        return bytes;
    }

    @Override
    public void proceed() {
        proceeded = true;
    }

    @Override
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void resumeReading() {
        paused = false;
    }
}
