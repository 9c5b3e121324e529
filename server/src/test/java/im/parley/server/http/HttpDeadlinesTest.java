package im.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stages of {@link HttpDeadlines} on an embedded channel whose clock the test moves: the
 * default limits (idle 30 s, headers 10 s, body 30 s), the HTTP codec and the aggregator, with
 * the test answering requests. The cases a socket test cannot pin down: pipelining, an early 413,
 * 100-continue, a request being answered, the switch to WebSocket.
 */
class HttpDeadlinesTest {

    private static final HttpLimits LIMITS = HttpLimits.defaults();
    private EmbeddedChannel channel;
    private HttpDeadlines deadlines;

    @BeforeEach
    void connect() {
        deadlines = new HttpDeadlines(LIMITS);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(deadlines.inputWatcher(), new HttpServerCodec(), deadlines,
                new HttpObjectAggregator(1024), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // The aggregator reports a body cut off by the close: HttpRequestHandler's concern.
                    }
                });
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void connectionThatSendsNothingIsClosedAfterTheIdleTimeout() {
        advance(LIMITS.idleTimeout().toMillis() - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(responses()).as("nothing was asked, nothing is answered").isEmpty();
    }

    /** RFC 9110 §15.5.9. */
    @Test
    void requestWhoseHeadersDoNotCompleteGets408() {
        receive("GET /.well-known/host-meta HTTP/1.1\r\nHo");
        assertThat(deadlines.stage()).isEqualTo(HttpDeadlines.Stage.HEADERS);
        advance(LIMITS.headerTimeout().toMillis() - 1);
        receive("st: x");
        advance(1);
        assertThat(responses()).singleElement().asString().startsWith("HTTP/1.1 408");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void requestWhoseBodyDoesNotCompleteGets408() {
        receive("POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n<body");
        assertThat(deadlines.stage()).isEqualTo(HttpDeadlines.Stage.BODY);
        advance(LIMITS.bodyTimeout().toMillis());
        assertThat(responses()).singleElement().asString().startsWith("HTTP/1.1 408");
        assertThat(channel.isOpen()).isFalse();
    }

    /** A held BOSH request owes a response: no deadline runs until it is answered, then the idle one. */
    @Test
    void requestBeingAnsweredHasNoDeadlineAndIdleStartsWithTheResponse() {
        receive("GET /.well-known/host-meta HTTP/1.1\r\nHost: x\r\n\r\n");
        FullHttpRequest request = channel.readInbound();
        request.release();
        advance(TimeUnit.MINUTES.toMillis(5));
        assertThat(channel.isOpen()).isTrue();

        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        advance(LIMITS.idleTimeout().toMillis() - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(1);
        assertThat(channel.isOpen()).isFalse();
    }

    /**
     * The aggregator answers a too-long {@code Content-Length} with 413 at once and discards the
     * body; if the body then stalls, a 408 would be a second answer to the same request: the
     * connection is just closed.
     */
    @Test
    void requestAnswered413WhoseBodyStallsIsClosedWithoutASecondAnswer() {
        receive("POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\nxx");
        advance(LIMITS.bodyTimeout().toMillis());
        assertThat(responses()).singleElement().asString().startsWith("HTTP/1.1 413");
        assertThat(channel.isOpen()).isFalse();
    }

    /** RFC 9110 §15.2.1: 100 Continue is interim; the request is still owed its final answer. */
    @Test
    void requestExpecting100ContinueWhoseBodyStallsGets408() {
        receive("POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
        advance(LIMITS.bodyTimeout().toMillis());
        List<String> responses = responses();
        assertThat(responses).hasSize(2);
        assertThat(responses.get(0)).startsWith("HTTP/1.1 100");
        assertThat(responses.get(1)).startsWith("HTTP/1.1 408");
    }

    /** With a first request still owed its answer, a 408 would answer it: the connection is just closed. */
    @Test
    void pipelinedRequestThatStallsBehindAHeldOneClosesWithout408() {
        receive("GET /.well-known/host-meta HTTP/1.1\r\nHost: x\r\n\r\n");
        ((FullHttpRequest) channel.readInbound()).release();
        receive("GET /.well-kno");
        advance(LIMITS.headerTimeout().toMillis());
        assertThat(channel.isOpen()).isFalse();
        assertThat(responses()).isEmpty();
    }

    /** RFC 6455 §4.2.2: after the 101 the connection is a WebSocket, idle as long as its pings allow. */
    @Test
    void switchToWebSocketEndsTheIdleDeadline() {
        receive("GET /xmpp-websocket HTTP/1.1\r\nHost: x\r\n\r\n");
        ((FullHttpRequest) channel.readInbound()).release();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
        assertThat(deadlines.stage()).isEqualTo(HttpDeadlines.Stage.WEBSOCKET);
        advance(TimeUnit.MINUTES.toMillis(5));
        assertThat(channel.isOpen()).isTrue();
    }

    private void receive(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    /** The encoded responses written so far, each as text from its status line. */
    private List<String> responses() {
        StringBuilder all = new StringBuilder();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) out;
            all.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        List<String> responses = new ArrayList<>();
        for (String part : all.toString().split("(?=HTTP/1\\.1 )")) {
            if (!part.isEmpty()) {
                responses.add(part);
            }
        }
        return responses;
    }
}
