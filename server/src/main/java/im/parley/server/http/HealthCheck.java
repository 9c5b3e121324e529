package im.parley.server.http;

import im.parley.server.module.PoolWork;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health} for load balancers and service managers, without authentication (it tells
 * nothing but up or down): 200 when every configured listener is open and the database answers,
 * 503 otherwise, with one line per part. The database is asked on the blocking executor, at most
 * once per {@link #CACHE} however often the check is polled; a poll meanwhile gets the last answer.
 */
public final class HealthCheck implements HttpService {

    /** The path, outside the modules' prefixes. */
    public static final String PATH = "/health";
    /** How long a database answer is reused. */
    static final Duration CACHE = Duration.ofSeconds(2);

    private final BooleanSupplier listeners;
    private final BooleanSupplier database;
    private final Executor blocking;
    private final Clock clock;
    private CompletableFuture<Boolean> databaseAnswer;
    private long answeredAt;

    /**
     * @param listeners whether every configured listener is open (cheap)
     * @param database whether the database answers (blocking, bounded in time)
     */
    public HealthCheck(BooleanSupplier listeners, BooleanSupplier database, Executor blocking, Clock clock) {
        this.listeners = listeners;
        this.database = database;
        this.blocking = blocking;
        this.clock = clock;
    }

    @Override
    public HttpRequestBody begin(HttpRequest request, HttpExchange exchange) {
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            FullHttpResponse response = HttpResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method not allowed\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            exchange.respond(response);
            return HttpRequestBody.DISCARD;
        }
        boolean listening = listeners.getAsBoolean();
        databaseAnswer().whenComplete((answers, failure) -> exchange.executor().execute(() -> {
            boolean databaseUp = failure == null && answers;
            boolean up = listening && databaseUp;
            FullHttpResponse response = HttpResponses.text(
                    up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "listeners: " + (listening ? "up" : "down") + "\ndatabase: " + (databaseUp ? "up" : "down")
                            + "\n");
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            exchange.respond(response);
        }));
        return HttpRequestBody.DISCARD;
    }

    /** The answer in flight or still fresh, else a new question on the blocking executor. */
    private synchronized CompletableFuture<Boolean> databaseAnswer() {
        long now = clock.millis();
        if (databaseAnswer == null || (databaseAnswer.isDone() && now - answeredAt >= CACHE.toMillis())) {
            answeredAt = now;
            databaseAnswer = PoolWork.supply(database::getAsBoolean, blocking);
        }
        return databaseAnswer;
    }
}
