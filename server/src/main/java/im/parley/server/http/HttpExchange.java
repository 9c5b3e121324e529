package im.parley.server.http;

import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;

/**
 * One request to an {@link HttpService} and its one response. A response sent before the
 * request's body was read to its end closes the connection after it (the rest of the body is
 * not read), as one the client asked not to keep does.
 */
public interface HttpExchange {

    /** The connection's event loop: where every call of the service runs, and where to come back to. */
    EventExecutor executor();

    /** Sends a complete response. */
    void respond(FullHttpResponse response);

    /**
     * Sends the head of a response whose body follows piece by piece ({@link #send}), so that a
     * body as large as a file is never in memory at once.
     */
    void start(HttpResponse head);

    /**
     * Sends the next piece of the body started with {@link #start}; a {@link LastHttpContent}
     * ends it. The future completes once the piece is written to the connection: wait for it
     * before reading the next one, so that a slow client slows the reading down (back-pressure).
     */
    ChannelFuture send(HttpContent piece);

    /**
     * The service wants the body: a client that waits before sending it ({@code Expect:
     * 100-continue}, RFC 9110 §10.1.1) is told to go on. A service that refuses the request
     * answers instead, and the body is never sent.
     */
    void proceed();

    /** Stops reading the request's body from the connection until {@link #resumeReading()} (back-pressure). */
    void pauseReading();

    /** Reads the request's body again. */
    void resumeReading();
}
