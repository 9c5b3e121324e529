package im.parley.server.modules.metrics;

import im.parley.server.http.HttpExchange;
import im.parley.server.http.HttpRequestBody;
import im.parley.server.http.HttpResponses;
import im.parley.server.http.HttpService;
import im.parley.server.metrics.ServerMetrics;
import im.parley.server.module.PoolWork;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET} of the metrics: checks the bearer token if one is configured (RFC 6750 §2.1, §3:
 * 401 with {@code WWW-Authenticate: Bearer}), then renders the scrape on the blocking executor,
 * since gauges count sessions and the rendering grows with the meters, and answers on the
 * connection's event loop.
 */
final class MetricsEndpoint implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    private static final String BEARER = "Bearer ";

    private final ServerMetrics metrics;
    private final Executor blocking;
    private final byte[] token;

    /** @param token the bearer token a scrape must carry, or null for none */
    MetricsEndpoint(ServerMetrics metrics, Executor blocking, byte[] token) {
        this.metrics = metrics;
        this.blocking = blocking;
        this.token = token;
    }

    @Override
    public HttpRequestBody begin(HttpRequest request, HttpExchange exchange) {
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method)) {
            FullHttpResponse response = HttpResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method not allowed\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET");
            exchange.respond(response);
        } else if (!authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse response = HttpResponses.text(HttpResponseStatus.UNAUTHORIZED, "a bearer token is required\n");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"parley metrics\"");
            exchange.respond(response);
        } else {
            String accept = request.headers().get(HttpHeaderNames.ACCEPT);
            PoolWork.supply(() -> metrics.scrape(accept), blocking).whenComplete((scrape, failure) ->
                    exchange.executor().execute(() -> {
                        if (failure != null) {
                            LOG.warn("cannot render the metrics", failure);
                            exchange.respond(HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                    "server error\n"));
                        } else {
                            FullHttpResponse response = HttpResponses.of(HttpResponseStatus.OK,
                                    scrape.contentType(), scrape.body());
                            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                            exchange.respond(response);
                        }
                    }));
        }
        return HttpRequestBody.DISCARD;
    }

    /** Compares in constant time, so that the answer's timing tells nothing about the token. */
    private boolean authorized(String authorization) {
        if (token == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }
}
