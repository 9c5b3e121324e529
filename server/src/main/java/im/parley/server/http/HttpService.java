package im.parley.server.http;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A module's handler for the HTTP requests under a path prefix ({@link HttpServices}, registered
 * with {@code ModuleContext.handleHttp}): it gets each request's head as soon as it is read, and
 * its body piece by piece, never aggregated, so that a body as large as a file upload streams
 * through without the listener's {@code http.max_request_size} and without being held in memory.
 * The listener's deadlines still apply ({@code http.header_timeout}, {@code http.idle_timeout};
 * {@code http.body_timeout} as the longest wait for the next piece of a body).
 *
 * <p>Every call runs on the connection's event loop: a service never blocks it (file and database
 * work goes to the blocking executor, and back through {@link HttpExchange#executor()}).
 */
@FunctionalInterface
public interface HttpService {

    /**
     * A request's head arrived. The service answers through {@code exchange}, now or later, and
     * returns what takes the request's body ({@link HttpRequestBody#DISCARD} when it needs none).
     */
    HttpRequestBody begin(HttpRequest request, HttpExchange exchange);
}
