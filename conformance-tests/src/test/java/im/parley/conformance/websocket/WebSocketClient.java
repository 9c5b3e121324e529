package im.parley.conformance.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;

/**
 * An XMPP-over-WebSocket client (RFC 7395) on the JDK's WebSocket: each received text
 * message is parsed as one element, in order.
 */
final class WebSocketClient implements WebSocket.Listener {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<Element> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final CompletableFuture<ByteBuffer> pong = new CompletableFuture<>();
    private WebSocket socket;

    /** Opens a WebSocket to {@code url}, offering {@code subprotocols} (none if empty). */
    static WebSocketClient open(String url, String... subprotocols) {
        WebSocketClient client = new WebSocketClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(URI.create(url), client).join();
        return client;
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(String xml) {
        socket.sendText(xml, true).join();
    }

    void ping(String data) {
        socket.sendPing(ByteBuffer.wrap(data.getBytes())).join();
    }

    /** The next message; fails after {@link #WAIT}. */
    Element next() {
        try {
            Element element = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (element == null) {
                throw new AssertionError("no message within " + WAIT);
            }
            return element;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message named {@code name}, skipping others. */
    Element next(String name) {
        while (true) {
            Element element = next();
            if (element.getName().equals(name)) {
                return element;
            }
        }
    }

    void abort() {
        socket.abort();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(DocumentHelper.parseText(partial.toString()).getRootElement());
            } catch (DocumentException e) {
                closed.completeExceptionally(new AssertionError("not one XML element: " + partial, e));
            }
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pong.complete(message);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
