package im.parley.server.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Routes the requests under a module's prefix ({@link HttpServices}) to its {@link HttpService},
 * head and body pieces as the codec reads them; everything else goes on to the aggregator and the
 * listener's own handlers. Sits between the deadlines and the aggregator, so that a module's
 * request is never aggregated, and tells the deadlines that its body streams.
 *
 * <p>A response body a module streams has a deadline too: each piece must be taken by the client
 * within {@code http.body_timeout}, or the connection is closed, so a client that stops reading a
 * download does not hold its connection, and the file the module has open, for ever.
 */
final class ModuleRequestHandler extends ChannelInboundHandlerAdapter {

    private final HttpServices services;
    private final HttpDeadlines deadlines;
    private final Duration pieceTimeout;
    private ChannelHandlerContext ctx;
    /** The module's request being read, or null. */
    private Exchange current;
    /** The pieces of a module's request answered early: dropped until its end. */
    private boolean discarding;
    /** The early answer is sent: the connection closes when the discarded body ends. */
    private boolean closeWhenDiscarded;

    /**
     * How long a connection whose request was answered before its body came stays open to read
     * (and drop) the rest of that body. RFC 9112 §9.6: closing at once, with the client's bytes
     * still arriving, makes the peer's TCP reset the connection, and the client may never read
     * the response (a refused upload would look like a broken connection).
     */
    static final Duration LINGER = Duration.ofSeconds(5);

    ModuleRequestHandler(HttpServices services, HttpDeadlines deadlines, Duration pieceTimeout) {
        this.services = services;
        this.deadlines = deadlines;
        this.pieceTimeout = pieceTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof HttpRequest request) {
            discarding = false;
            HttpService service = request.decoderResult().isSuccess()
                    ? services.find(new QueryStringDecoder(request.uri()).path()).orElse(null) : null;
            if (service == null) {
                context.fireChannelRead(msg);
                return;
            }
            deadlines.streamBody();
            Exchange exchange = new Exchange(HttpUtil.isKeepAlive(request), HttpUtil.is100ContinueExpected(request));
            current = exchange;
            exchange.body = service.begin(request, exchange);
            if (request instanceof HttpContent content) {
                piece(content);
            }
            return;
        }
        if (msg instanceof HttpContent content && (current != null || discarding)) {
            piece(content);
            return;
        }
        context.fireChannelRead(msg);
    }

    private void piece(HttpContent content) {
        try {
            Exchange exchange = current;
            if (exchange != null && exchange.body != null && content.content().isReadable()) {
                exchange.body.content(content.content());
            }
            if (content instanceof LastHttpContent) {
                if (discarding && closeWhenDiscarded) {
                    closeWhenDiscarded = false;
                    ctx.close();
                }
                discarding = false;
                if (exchange != null) {
                    exchange.ended = true;
                    current = null;
                    if (exchange.body != null) {
                        exchange.body.end();
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(content);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        abort();
        super.channelInactive(context);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        abort();
    }

    private void abort() {
        Exchange exchange = current;
        current = null;
        if (exchange != null && exchange.body != null) {
            exchange.body.aborted();
        }
    }

    /** One module request and its response. */
    private final class Exchange implements HttpExchange {

        private final boolean keepAlive;
        private boolean expectsContinue;
        private HttpRequestBody body;
        private boolean ended;
        private boolean responded;

        Exchange(boolean keepAlive, boolean expectsContinue) {
            this.keepAlive = keepAlive;
            this.expectsContinue = expectsContinue;
        }

        @Override
        public void proceed() {
            if (expectsContinue && !responded && current == this && ctx.channel().isActive()) {
                expectsContinue = false;
                // RFC 9110 §10.1.1: the client waits for this before it sends the body.
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
        }

        @Override
        public EventExecutor executor() {
            return ctx.executor();
        }

        @Override
        public void respond(FullHttpResponse response) {
            if (begun(response)) {
                ctx.writeAndFlush(response).addListener(afterResponse());
            } else {
                ReferenceCountUtil.release(response);
            }
        }

        @Override
        public void start(HttpResponse head) {
            if (begun(head)) {
                ctx.writeAndFlush(head);
            } else {
                ReferenceCountUtil.release(head);
            }
        }

        @Override
        public ChannelFuture send(HttpContent piece) {
            if (!ctx.channel().isActive()) {
                ReferenceCountUtil.release(piece);
                return ctx.newFailedFuture(new ClosedChannelException());
            }
            ChannelFuture written = ctx.writeAndFlush(piece);
            if (!written.isDone()) {
                // The client is not reading: once the socket's buffers are full, the piece waits.
                var deadline = ctx.executor().schedule(() -> {
                    if (!written.isDone()) {
                        ctx.channel().close();
                    }
                }, pieceTimeout.toNanos(), TimeUnit.NANOSECONDS);
                written.addListener(done -> deadline.cancel(false));
            }
            if (piece instanceof LastHttpContent) {
                written.addListener(afterResponse());
            }
            return written;
        }

        /** Marks the response sent; false if one was sent already or the connection is gone. */
        private boolean begun(HttpResponse head) {
            if (responded || !ctx.channel().isActive()) {
                return false;
            }
            responded = true;
            boolean keep = keepAlive && ended;
            HttpUtil.setKeepAlive(head, keep);
            if (!ended && current == this) {
                // The rest of the body is not read: the connection closes after the response.
                current = null;
                discarding = true;
                resumeReading();
            } else if (keep) {
                // A module that paused reading (an upload waiting for its slot) answered after the
                // whole body came: the connection stays open, so its next request must be read.
                resumeReading();
            }
            return true;
        }

        private ChannelFutureListener afterResponse() {
            boolean keep = keepAlive && ended;
            if (keep) {
                return ChannelFutureListener.CLOSE_ON_FAILURE;
            }
            if (ended) {
                return ChannelFutureListener.CLOSE;
            }
            // Answered before the body came: read and drop the rest of it, then close (a staged
            // close, RFC 9112 §9.6), for at most LINGER.
            return written -> {
                if (!written.isSuccess() || !discarding) {
                    ctx.close();
                    return;
                }
                closeWhenDiscarded = true;
                Runnable close = ctx::close;
                ctx.executor().schedule(close, LINGER.toNanos(), TimeUnit.NANOSECONDS);
            };
        }

        @Override
        public void pauseReading() {
            ctx.channel().config().setAutoRead(false);
        }

        @Override
        public void resumeReading() {
            if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
                ctx.read();
            }
        }
    }
}
