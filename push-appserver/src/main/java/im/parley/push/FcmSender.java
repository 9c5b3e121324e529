package im.parley.push;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to Firebase Cloud Messaging HTTP v1 ({@code POST /v1/projects/{project}/messages:send})
 * with an OAuth2 bearer token from a service account (Google's auth library fetches and refreshes
 * it). Status 404 ({@code UNREGISTERED}) means the token is gone; 429 and 5xx are temporary.
 */
public final class FcmSender implements PushSender {

    private static final Logger LOG = LoggerFactory.getLogger(FcmSender.class);
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private final URI sendUri;
    private final GoogleCredentials credentials;
    private final HttpClient http;
    /** The auth library refreshes tokens with blocking HTTP calls: never on an event loop. */
    private final ExecutorService tokens = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fcm-token");
        thread.setDaemon(true);
        return thread;
    });

    public FcmSender(FcmSettings settings) {
        this.sendUri = URI.create(settings.endpoint().toString().replaceAll("/+$", "")
                + "/v1/projects/" + settings.projectId() + "/messages:send");
        this.credentials = credentials(settings);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static GoogleCredentials credentials(FcmSettings settings) {
        try (InputStream in = Files.newInputStream(settings.serviceAccountFile())) {
            ServiceAccountCredentials account = ServiceAccountCredentials.fromStream(in);
            if (settings.tokenEndpoint() != null) {
                account = account.toBuilder().setTokenServerUri(settings.tokenEndpoint()).build();
            }
            return account.createScoped(List.of(SCOPE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the FCM service account " + settings.serviceAccountFile(), e);
        }
    }

    @Override
    public CompletableFuture<Result> send(Registration registration, Notification notification) {
        String body = FcmMessages.message(registration, notification).toString();
        return CompletableFuture.supplyAsync(this::accessToken, tokens)
                .thenCompose(token -> http.sendAsync(HttpRequest.newBuilder(sendUri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()))
                .thenApply(response -> result(response.statusCode(), response.body()))
                .exceptionally(failure -> {
                    LOG.warn("FCM request failed: {}", failure.toString());
                    return Result.TEMPORARY_FAILURE;
                });
    }

    private String accessToken() {
        try {
            credentials.refreshIfExpired();
            return credentials.getAccessToken().getTokenValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot get an FCM access token", e);
        }
    }

    private static Result result(int status, String body) {
        if (status == 200) {
            return Result.DELIVERED;
        }
        LOG.info("FCM answered {}: {}", status, body);
        if (status == 404) {
            return Result.INVALID_TOKEN;
        }
        return status == 429 || status >= 500 ? Result.TEMPORARY_FAILURE : Result.FAILURE;
    }

    @Override
    public void close() {
        tokens.shutdownNow();
    }
}
