package im.parley.server.http;

import im.parley.server.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for every stage of an HTTP connection, so that no client holds one longer than a
 * request needs: an idle connection, dripped headers and a dripped body are all cut off. It sits
 * right after the HTTP codec, where it sees requests, bodies and responses; its
 * {@link #inputWatcher() input watcher}, right before the codec, tells it when the first byte
 * of a request (or WebSocket message) arrives. The stages are an enum with one transition point,
 * {@link #enter(Stage)}:
 *
 * <ul>
 *   <li>{@link Stage#WAITING}: no request is being read. While no response is owed either, the
 *       connection is closed after {@code http.idle_timeout}. A request being answered (a BOSH
 *       request held for up to {@code wait} seconds, XEP-0124 §8) owes a response, so a held
 *       long poll is never cut.</li>
 *   <li>{@link Stage#HEADERS}: a request's first byte came; its line and headers must follow
 *       within {@code http.header_timeout}.</li>
 *   <li>{@link Stage#BODY}: the headers came; the body must follow within {@code http.body_timeout}.
 *       Either stage running out is answered 408 Request Timeout and the connection closed
 *       (RFC 9110 §15.5.9: "the server did not receive a complete request message within the
 *       time that it was prepared to wait"), unless an earlier request still waits for its
 *       response (pipelining) or this one was answered already (an early 413): then a 408
 *       would answer the wrong request, and the connection is just closed. The body of a request
 *       a module streams ({@link #streamBody()}) is held to this deadline piece by piece.</li>
 *   <li>{@link Stage#WEBSOCKET} and {@link Stage#WEBSOCKET_MESSAGE}: after the 101 response
 *       (RFC 6455 §4.2.2), a message whose first byte came must be complete (all its frames)
 *       within {@code http.body_timeout}, or the connection is closed with status 1008 (policy
 *       violation, §7.4.1). Idle WebSockets are the ping handler's concern.</li>
 * </ul>
 *
 * The first byte of a request is seen when it arrives in a read of its own; one that comes in
 * the same read as the end of the request before it (pipelining, which browsers do not use)
 * waits, unseen, until that one is answered, and is then bound by the idle deadline.
 *
 * <p>A request's body is buffered by the aggregator after this handler, up to
 * {@code http.max_request_size}; the aggregator releases it when the connection closes, so a
 * body cut off here frees its memory at once.
 */
final class HttpDeadlines extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDeadlines.class);

    /** The stage of the connection; each has its own deadline (or none). */
    enum Stage {
        WAITING, HEADERS, BODY, WEBSOCKET, WEBSOCKET_MESSAGE
    }

    private final long idleNanos;
    private final long headerNanos;
    private final long bodyNanos;
    private ChannelHandlerContext ctx;
    private Stage stage = Stage.WAITING;
    /** Requests whose headers were read, and final responses written: the difference is owed. */
    private long requests;
    private long responses;
    /** A WebSocket message goes on in further frames (RFC 6455 §5.4). */
    private boolean fragmented;
    /** The body of the request being read streams to a module ({@link #streamBody()}). */
    private boolean streaming;
    /** When the current stage runs out (ticker nanoseconds), if {@link #hasDeadline}. */
    private long deadline;
    private boolean hasDeadline;
    private Future<?> timer;
    private long timerAt;

    HttpDeadlines(HttpLimits limits) {
        this.idleNanos = limits.idleTimeout().toNanos();
        this.headerNanos = limits.headerTimeout().toNanos();
        this.bodyNanos = limits.bodyTimeout().toNanos();
    }

    /** The handler to place before the HTTP codec: it reports the first byte of each request. */
    ChannelHandler inputWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext watcherCtx, Object msg) {
                if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    inputArrived();
                }
                watcherCtx.fireChannelRead(msg);
            }
        };
    }

    Stage stage() {
        return stage;
    }

    /**
     * The body of the request being read streams to a module ({@link ModuleRequestHandler}), and
     * may be as large as a file: instead of all of it, each piece must come within
     * {@code http.body_timeout} of the one before, so a dripped body is still cut off.
     */
    void streamBody() {
        streaming = true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        if (context.channel().isActive()) {
            enter(Stage.WAITING);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        enter(Stage.WAITING);
        super.channelActive(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        cancelTimer();
        hasDeadline = false;
        super.channelInactive(context);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        cancelTimer();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof HttpRequest) {
            requests++;
            streaming = false;
            enter(Stage.BODY);
        } else if (streaming && stage == Stage.BODY && msg instanceof HttpContent) {
            enter(Stage.BODY);
        }
        if (msg instanceof LastHttpContent) {
            enter(Stage.WAITING);
        }
        if (msg instanceof WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                fragmented = !frame.isFinalFragment();
            }
            if (!fragmented) {
                enter(Stage.WEBSOCKET);
            }
        }
        context.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // 100 Continue answers nothing yet; 101 Switching Protocols starts the WebSocket (RFC 9110 §15.2).
            if (response.status().code() == 101) {
                enter(Stage.WEBSOCKET);
            }
        } else if (msg instanceof LastHttpContent && stage != Stage.WEBSOCKET && stage != Stage.WEBSOCKET_MESSAGE) {
            responses++;
            if (stage == Stage.WAITING) {
                enter(Stage.WAITING);
            }
        }
        context.write(msg, promise);
    }

    private void inputArrived() {
        if (stage == Stage.WAITING) {
            enter(Stage.HEADERS);
        } else if (stage == Stage.WEBSOCKET) {
            enter(Stage.WEBSOCKET_MESSAGE);
        }
    }

    /** The one transition point: the stage changes and its deadline starts now. */
    private void enter(Stage next) {
        stage = next;
        long timeout = switch (next) {
            case WAITING -> owed() == 0 ? idleNanos : -1;
            case HEADERS -> headerNanos;
            case BODY, WEBSOCKET_MESSAGE -> bodyNanos;
            case WEBSOCKET -> -1;
        };
        hasDeadline = timeout >= 0;
        if (!hasDeadline) {
            return;
        }
        deadline = now() + timeout;
        if (timer == null || timerAt - deadline > 0) {
            cancelTimer();
            schedule(timeout);
        }
    }

    /** Responses owed: requests read (or being read) and not yet answered. */
    private long owed() {
        return requests - responses;
    }

    private void schedule(long delayNanos) {
        timerAt = now() + delayNanos;
        timer = ctx.executor().schedule(this::timerFired, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The timer may be late for a deadline that moved later since: it then waits for the rest. */
    private void timerFired() {
        timer = null;
        if (!hasDeadline || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - now();
        if (left > 0) {
            schedule(left);
            return;
        }
        expire();
    }

    private void expire() {
        hasDeadline = false;
        switch (stage) {
            case WAITING -> {
                LOG.debug("{}: HTTP connection idle, closed", ctx.channel().remoteAddress());
                ctx.close();
            }
            case HEADERS, BODY -> {
                LOG.debug("{}: HTTP request not received in time ({})", ctx.channel().remoteAddress(), stage);
                // The request being read is owed an answer only if it is the only one owed.
                if (owed() == (stage == Stage.BODY ? 1 : 0)) {
                    HttpResponses.sendAndClose(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "request timeout\n");
                } else {
                    ctx.close();
                }
            }
            case WEBSOCKET_MESSAGE -> {
                LOG.debug("{}: WebSocket message not received in time", ctx.channel().remoteAddress());
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION,
                        "message not received in time")).addListener(ChannelFutureListener.CLOSE);
            }
            case WEBSOCKET -> {
                // No deadline in this stage.
            }
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
