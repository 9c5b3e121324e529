package im.parley.server.http;

import im.parley.core.net.PeerFaults;
import im.parley.server.config.LimitsConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the HTTP requests that are not WebSocket handshakes: BOSH on {@code /http-bind}
 * (XEP-0124, XEP-0206) and connection-method discovery on {@code /.well-known/host-meta} and
 * {@code /.well-known/host-meta.json} (XEP-0156 §3). Anything else is 404.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRequestHandler.class);

    private final HttpBindings bindings;
    private final boolean tls;
    private boolean peerFaultLogged;

    HttpRequestHandler(HttpBindings bindings, boolean tls) {
        this.bindings = bindings;
        this.tls = tls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            refuseMalformed(ctx, request.decoderResult().cause());
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        switch (path) {
            case HttpChannelInitializer.BOSH_PATH, HttpChannelInitializer.BOSH_PATH + "/" -> {
                if (HttpMethod.POST.equals(method)) {
                    bosh(ctx, request, keepAlive);
                } else if (HttpMethod.OPTIONS.equals(method)) {
                    allow(ctx, keepAlive, "POST, OPTIONS");
                } else {
                    notAllowed(ctx, keepAlive, "POST, OPTIONS");
                }
            }
            case HostMeta.XRD_PATH, HostMeta.JSON_PATH -> {
                if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
                    boolean json = path.equals(HostMeta.JSON_PATH);
                    HostMeta hostMeta = HostMeta.forRequest(request, tls);
                    send(ctx, keepAlive, HttpResponseStatus.OK, json ? HostMeta.JSON_TYPE : HostMeta.XRD_TYPE,
                            json ? hostMeta.json() : hostMeta.xrd(), true);
                } else {
                    notAllowed(ctx, keepAlive, "GET, HEAD");
                }
            }
            default -> plain(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "not found\n");
        }
    }

    /** XEP-0124 §4: each request is one {@code <body/>}; errors are terminal binding conditions (§17.1). */
    private void bosh(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        LimitsConfig limits = bindings.c2s().limits();
        // The <body/> wrapper is one more level.
        XmlFrameParser.Result parsed = XmlFrameParser.parse(request.content(),
                limits.xml(bindings.config().maxRequestBytes()).withMaxDepth(limits.maxDepth() + 1));
        BoshBody body = parsed.element() == null ? null : BoshBody.of(parsed.element());
        OptionalLong rid = body == null ? OptionalLong.empty() : body.rid();
        if (rid.isEmpty()) {
            BoshResponses.send(ctx.channel(), keepAlive, HttpResponseStatus.BAD_REQUEST, BoshResponses.terminate("bad-request"));
            return;
        }
        BoshRequest boshRequest = new BoshRequest(rid.getAsLong(), body, ctx.channel(), keepAlive);
        String sid = body.sid();
        if (sid == null) {
            bindings.bosh().create(boshRequest, bindings.clients().client(ctx.channel(), request.headers()),
                    tls || bindings.config().considerSecure() || ClientAddresses.isDirectLoopback(ctx.channel(),
                            request.headers()));
            return;
        }
        BoshSession session = bindings.bosh().get(sid);
        if (session == null) {
            // XEP-0124 §17.1: an unknown (or expired) sid.
            boshRequest.respond(BoshResponses.terminate("item-not-found"));
            return;
        }
        session.receive(boshRequest);
    }

    /**
     * A request the codec could not read: a request line over {@code http.max_header_size} is
     * 414 (RFC 9110 §15.5.15), a header block over it 431 (RFC 6585 §5), anything else 400. The
     * codec reads nothing more from the connection, so it closes.
     */
    private static void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            HttpResponses.sendAndClose(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long\n");
        } else if (cause instanceof TooLongHttpHeaderException) {
            HttpResponses.sendAndClose(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers too large\n");
        } else {
            HttpResponses.sendAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request\n");
        }
    }

    private static void allow(ChannelHandlerContext ctx, boolean keepAlive, String methods) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.ALLOW, methods).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        HttpResponses.send(ctx, keepAlive, response);
    }

    private static void notAllowed(ChannelHandlerContext ctx, boolean keepAlive, String methods) {
        FullHttpResponse response = HttpResponses.of(HttpResponseStatus.METHOD_NOT_ALLOWED, HttpResponses.TEXT,
                "method not allowed\n");
        response.headers().set(HttpHeaderNames.ALLOW, methods);
        HttpResponses.send(ctx, keepAlive, response);
    }

    private static void plain(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String text) {
        send(ctx, keepAlive, status, HttpResponses.TEXT, text, false);
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type,
                             String text, boolean anyOrigin) {
        FullHttpResponse response = HttpResponses.of(status, type, text);
        if (anyOrigin) {
            // XEP-0156 §3: the connection methods are public; any web client may read them.
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        HttpResponses.send(ctx, keepAlive, response);
    }

    /**
     * A client that resets, aborts a request half-way or sends what no codec accepts is routine:
     * one debug line, for the first fault only (a reset mid-body is followed by the aggregator's
     * report of the premature close). Anything else is our bug.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (PeerFaults.isFromPeer(cause)) {
            if (!peerFaultLogged) {
                peerFaultLogged = true;
                LOG.debug("{}: HTTP connection error: {}", ctx.channel().remoteAddress(), PeerFaults.describe(cause));
            }
        } else {
            LOG.warn("{}: HTTP request failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
