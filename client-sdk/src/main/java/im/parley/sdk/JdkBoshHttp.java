package im.parley.sdk;

import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * {@link BoshHttp} on the JDK's HTTP client: HTTP/1.1 (what BOSH connection managers speak),
 * no redirects, the SDK's own TLS context so that {@link Trust} applies to https URLs too, and
 * daemon threads, so a forgotten client does not keep the JVM alive.
 */
final class JdkBoshHttp implements BoshHttp {

    private final HttpClient client;
    private final URI url;

    JdkBoshHttp(URI url, SSLContext tls, Duration connectTimeout) {
        this.url = url;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .sslContext(tls)
                .build();
    }

    @Override
    public CompletableFuture<Reply> post(String body, Duration timeout, Runnable written) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(new Signalling(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), written))
                .build();
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        CompletableFuture<Reply> reply = exchange.thenApply(response -> new Reply(response.statusCode(), response.body()));
        // Cancelling the mapped future must reach the exchange, which then closes its connection.
        reply.whenComplete((ignored, failure) -> {
            if (reply.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return reply;
    }

    /** A body that tells when the HTTP client has taken all of it to write, which it does once connected. */
    private static final class Signalling implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher body;
        private final Runnable written;
        private final AtomicBoolean done = new AtomicBoolean();

        Signalling(HttpRequest.BodyPublisher body, Runnable written) {
            this.body = body;
            this.written = written;
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            body.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable failure) {
                    subscriber.onError(failure);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                    if (done.compareAndSet(false, true)) {
                        written.run();
                    }
                }
            });
        }
    }
}
