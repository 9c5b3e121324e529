package im.parley.server.modules.upload;

import im.parley.server.http.HttpExchange;
import im.parley.server.http.HttpRequestBody;
import im.parley.server.http.HttpService;
import im.parley.server.module.PoolWork;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the upload service, on {@code /upload/<service>/<token>/<file name>}: the PUT
 * of a slot's file (XEP-0363 §6), its GET and HEAD, and CORS preflight for browser clients. The
 * token is the only thing looked at: it is the secret, and no part of the path becomes a file
 * name. Database and file work runs on the blocking executor, never the event loop.
 */
final class UploadHttp implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(UploadHttp.class);
    static final String METHODS = "GET, HEAD, PUT, OPTIONS";
    /** A stored file is data, never a page of ours: no script, no plugin, no frame, no sniffing. */
    static final String CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

    private final Slots slots;
    private final FileStore files;
    private final UploadSettings settings;
    private final Executor blocking;
    private final Clock clock;

    UploadHttp(Slots slots, FileStore files, UploadSettings settings, Executor blocking, Clock clock) {
        this.slots = slots;
        this.files = files;
        this.settings = settings;
        this.blocking = blocking;
        this.clock = clock;
    }

    @Override
    public HttpRequestBody begin(HttpRequest request, HttpExchange exchange) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String token = token(new QueryStringDecoder(request.uri()).path());
        HttpMethod method = request.method();
        if (HttpMethod.OPTIONS.equals(method)) {
            exchange.respond(preflight(origin));
        } else if (token == null) {
            exchange.respond(text(HttpResponseStatus.NOT_FOUND, "not found\n", origin));
        } else if (HttpMethod.PUT.equals(method)) {
            return put(request, token, origin, exchange);
        } else if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            get(token, HttpMethod.HEAD.equals(method), origin, exchange);
        } else {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n", origin);
            response.headers().set(HttpHeaderNames.ALLOW, METHODS);
            exchange.respond(response);
        }
        return HttpRequestBody.DISCARD;
    }

    /**
     * XEP-0363 §6: the slot must be unused and unexpired, Content-Length its size ("MUST reject
     * the file upload if the Content-Length does not match") and Content-Type its type, if it named
     * one ("SHOULD reject"). Claiming the slot is one conditional update: a second PUT, at once or
     * later, finds it taken (409) and cannot overwrite the file.
     */
    private HttpRequestBody put(HttpRequest request, String token, String origin, HttpExchange exchange) {
        long length = HttpUtil.getContentLength(request, -1L);
        if (length < 0 || HttpUtil.isTransferEncodingChunked(request)) {
            exchange.respond(text(HttpResponseStatus.LENGTH_REQUIRED, "Content-Length required\n", origin));
            return HttpRequestBody.DISCARD;
        }
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        FileUpload upload = new FileUpload(token, length, exchange, response -> cors(response, origin));
        exchange.pauseReading();
        PoolWork.supply(() -> claim(token, length, type), blocking).whenComplete((claim, failure) ->
                exchange.executor().execute(() -> {
                    if (failure != null) {
                        LOG.warn("upload {}: cannot claim the slot", token, failure);
                        upload.refuse(text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "server error\n", origin));
                    } else if (claim.refusal() != null) {
                        upload.refuse(claim.refusal());
                    } else {
                        upload.start(claim.file(), slots, blocking);
                    }
                }));
        return upload;
    }

    /** What a PUT gets: the file to write, or the response that refuses it. */
    private record Claim(FileStore.PendingFile file, FullHttpResponse refusal) {
    }

    /** Blocking. */
    private Claim claim(String token, long length, String type) {
        Optional<Slots.Slot> found = slots.find(token);
        if (found.isEmpty()) {
            return refused(HttpResponseStatus.NOT_FOUND, "no such slot\n");
        }
        Slots.Slot slot = found.get();
        if (slot.state() != Slots.State.PENDING) {
            return refused(HttpResponseStatus.CONFLICT, "this slot was used already\n");
        }
        if (slot.created().isBefore(clock.instant().minus(settings.slotTimeout()))) {
            return refused(HttpResponseStatus.FORBIDDEN, "this slot has expired\n");
        }
        if (length != slot.size()) {
            return refused(HttpResponseStatus.BAD_REQUEST, "Content-Length must be the slot's size, "
                    + slot.size() + "\n");
        }
        if (slot.contentType() != null && !sameMediaType(slot.contentType(), type)) {
            return refused(HttpResponseStatus.BAD_REQUEST, "Content-Type must be the slot's, " + slot.contentType()
                    + "\n");
        }
        String uploaded = type != null && SlotRequests.CONTENT_TYPE.matcher(type).matches() ? type : null;
        if (!slots.claim(token, uploaded)) {
            return refused(HttpResponseStatus.CONFLICT, "this slot was used already\n");
        }
        try {
            return new Claim(files.create(token), null);
        } catch (IOException | RuntimeException e) {
            slots.remove(token);
            throw new IllegalStateException("cannot create the file of upload " + token, e);
        }
    }

    private static Claim refused(HttpResponseStatus status, String text) {
        return new Claim(null, text(status, text));
    }

    /** Media types compare without their parameters, case-insensitively (RFC 9110 §8.3.1). */
    static boolean sameMediaType(String expected, String actual) {
        return actual != null && mediaType(expected).equals(mediaType(actual));
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** A stored file, to whoever has its URL (XEP-0363 §2: "everyone who knows the URL SHOULD be able to access it"). */
    private void get(String token, boolean head, String origin, HttpExchange exchange) {
        PoolWork.supply(() -> open(token), blocking).whenComplete((opened, failure) ->
                exchange.executor().execute(() -> {
                    if (failure != null) {
                        LOG.warn("upload {}: cannot open the file", token, failure);
                        exchange.respond(text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "server error\n", origin));
                    } else if (opened.isEmpty()) {
                        exchange.respond(text(HttpResponseStatus.NOT_FOUND, "not found\n", origin));
                    } else {
                        serve(opened.get(), head, origin, exchange);
                    }
                }));
    }

    /** A stored file and its channel. */
    private record Opened(Slots.Slot slot, SeekableByteChannel channel) {
    }

    /** Blocking. */
    private Optional<Opened> open(String token) {
        Optional<Slots.Slot> slot = slots.find(token).filter(s -> s.state() == Slots.State.STORED
                && !s.created().isBefore(clock.instant().minus(settings.expiry())));
        if (slot.isEmpty()) {
            return Optional.empty();
        }
        try {
            return files.open(token).map(channel -> new Opened(slot.get(), channel));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void serve(Opened opened, boolean head, String origin, HttpExchange exchange) {
        Slots.Slot slot = opened.slot();
        HttpResponse response = head ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)
                : new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        String type = slot.contentType() == null ? "application/octet-stream" : slot.contentType();
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CONTENT_LENGTH, slot.size())
                .set(HttpHeaderNames.CONTENT_DISPOSITION, ContentDisposition.of(type, slot.filename()))
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP)
                .set(HttpHeaderNames.CACHE_CONTROL, "private, max-age=" + settings.expiry().toSeconds()
                        + ", immutable");
        cors(response, origin);
        if (head) {
            FileSender.close(opened.channel());
            exchange.respond((FullHttpResponse) response);
            return;
        }
        exchange.start(response);
        new FileSender(opened.channel(), exchange, blocking).next();
    }

    /** CORS preflight (the Fetch standard): a browser page asks before its PUT with a Content-Type. */
    private FullHttpResponse preflight(String origin) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        response.headers().set(HttpHeaderNames.ALLOW, METHODS);
        if (cors(response, origin)) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type")
                    .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 86_400);
        }
        return response;
    }

    /** Allows the request's origin if {@code upload.cors_origins} does; true if it did. */
    private boolean cors(HttpResponse response, String origin) {
        if (origin == null) {
            return false;
        }
        HttpHeaders headers = response.headers();
        if (settings.corsOrigins().contains("*")) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            return true;
        }
        headers.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        if (settings.corsOrigins().contains(origin)) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            return true;
        }
        return false;
    }

    private FullHttpResponse text(HttpResponseStatus status, String body, String origin) {
        FullHttpResponse response = text(status, body);
        cors(response, origin);
        return response;
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    /** The token of {@code /upload/<service>/<token>/...}, or null if the path names none. */
    private static String token(String path) {
        String[] segments = path.split("/", -1);
        // "", "upload", service, token, file name
        if (segments.length < 4) {
            return null;
        }
        String token = segments[3];
        return LocalFileStore.KEY.matcher(token).matches() ? token : null;
    }
}
