package im.parley.push;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to the Apple Push Notification service over HTTP/2 with token-based authentication
 * (Pushy). When the XMPP server sent a body, an alert with priority 10 shows it; otherwise a
 * background push ({@code content-available}, {@code apns-push-type: background}) with priority
 * 5, the only priority Apple allows for background pushes, wakes the app.
 */
public final class ApnsSender implements PushSender {

    private static final Logger LOG = LoggerFactory.getLogger(ApnsSender.class);
    /** Apple's reasons for a token that will never work again. */
    private static final Set<String> INVALID_TOKEN = Set.of("BadDeviceToken", "Unregistered", "DeviceTokenNotForTopic");

    private final ApnsClient client;
    private final String defaultTopic;

    public ApnsSender(ApnsSettings settings) {
        this.defaultTopic = settings.topic();
        try {
            ApnsClientBuilder builder = new ApnsClientBuilder()
                    .setApnsServer(settings.host(), settings.port())
                    .setSigningKey(ApnsSigningKey.loadFromPkcs8File(settings.signingKeyFile().toFile(),
                            settings.teamId(), settings.keyId()));
            if (settings.trustedCertificates() != null) {
                builder.setTrustedServerCertificateChain(settings.trustedCertificates().toFile());
            }
            this.client = builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the APNs client", e);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalArgumentException("not an APNs signing key: " + settings.signingKeyFile(), e);
        }
    }

    @Override
    public CompletableFuture<Result> send(Registration registration, Notification notification) {
        String topic = registration.appId() != null ? registration.appId() : defaultTopic;
        SimpleApnsPushNotification push = notification(registration, notification, topic);
        return client.sendNotification(push).handle((response, failure) -> {
            if (failure != null) {
                LOG.warn("APNs request failed: {}", failure.toString());
                return Result.TEMPORARY_FAILURE;
            }
            if (response.isAccepted()) {
                return Result.DELIVERED;
            }
            String reason = response.getRejectionReason().orElse("");
            LOG.info("APNs rejected a push ({}): {}", response.getStatusCode(), reason);
            if (INVALID_TOKEN.contains(reason) || response.getStatusCode() == 410) {
                return Result.INVALID_TOKEN;
            }
            return response.getStatusCode() == 429 || response.getStatusCode() >= 500
                    ? Result.TEMPORARY_FAILURE : Result.FAILURE;
        });
    }

    static SimpleApnsPushNotification notification(Registration registration, Notification notification, String topic) {
        SimpleApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder();
        Instant expiry = Instant.now().plus(SimpleApnsPushNotification.DEFAULT_EXPIRATION_PERIOD);
        if (notification.lastBody() != null || registration.style() == Registration.Style.NOTIFICATION) {
            payload.setAlertTitle(Texts.title(notification)).setAlertBody(Texts.body(notification)).setSound("default");
            payload.addCustomProperty("message-count", notification.messageCount());
            return new SimpleApnsPushNotification(registration.token(), topic, payload.build(), expiry,
                    DeliveryPriority.IMMEDIATE, PushType.ALERT);
        }
        payload.setContentAvailable(true);
        payload.addCustomProperty("message-count", notification.messageCount());
        return new SimpleApnsPushNotification(registration.token(), topic, payload.build(), expiry,
                DeliveryPriority.CONSERVE_POWER, PushType.BACKGROUND);
    }

    @Override
    public void close() {
        client.close();
    }
}
