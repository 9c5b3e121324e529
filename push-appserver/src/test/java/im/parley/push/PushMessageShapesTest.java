package im.parley.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What FCM (HTTP v1) and APNs get for each registration style and platform. */
class PushMessageShapesTest {

    private static Registration fcm(Registration.Style style, Registration.Platform platform) {
        return new Registration("n1", "s", "juliet@example.org", "d1", Registration.Service.FCM, "tok", null, style,
                platform);
    }

    @Test
    void aDataMessageToAnAppleDeviceViaFcmIsABackgroundPushWithPriorityFive() {
        // FCM docs: data messages to Apple devices are background pushes: apns-priority 5, content-available.
        JsonNode message = FcmMessages.message(fcm(Registration.Style.DATA, Registration.Platform.IOS),
                new Notification(2, "romeo@example.org/balcony", null)).get("message");
        assertThat(message.has("notification")).isFalse();
        assertThat(message.at("/apns/headers/apns-priority").asText()).isEqualTo("5");
        assertThat(message.at("/apns/headers/apns-push-type").asText()).isEqualTo("background");
        assertThat(message.at("/apns/payload/aps/content-available").asInt()).isEqualTo(1);
        assertThat(message.at("/data/message-count").asText()).isEqualTo("2");
        assertThat(message.has("android")).isFalse();
    }

    @Test
    void aNotificationMessageIsShownByTheOsWithTheBodyWhenSent() {
        JsonNode message = FcmMessages.message(fcm(Registration.Style.NOTIFICATION, Registration.Platform.ANDROID),
                new Notification(1, "romeo@example.org/balcony", "Hello")).get("message");
        assertThat(message.at("/notification/title").asText()).isEqualTo("romeo@example.org");
        assertThat(message.at("/notification/body").asText()).isEqualTo("Hello");
        assertThat(message.at("/android/priority").asText()).isEqualTo("high");
        assertThat(message.at("/data/last-message-body").isMissingNode()).as("body only in the shown part").isTrue();
    }

    @Test
    void withoutABodyTheNotificationSaysOnlyHowManyMessagesWait() {
        JsonNode message = FcmMessages.message(fcm(Registration.Style.NOTIFICATION, Registration.Platform.ANDROID),
                new Notification(3, null, null)).get("message");
        assertThat(message.at("/notification/title").asText()).isEqualTo("New message");
        assertThat(message.at("/notification/body").asText()).isEqualTo("You have 3 new messages");
    }

    @Test
    void apnsAlertsWithPriorityTenWhenABodyIsToBeShownElseBackgroundWithFive() {
        Registration phone = new Registration("n1", "s", "juliet@example.org", "d1", Registration.Service.APNS,
                "0a1b", "im.parley.app", Registration.Style.DATA, Registration.Platform.IOS);
        SimpleApnsPushNotification alert = ApnsSender.notification(phone, new Notification(1, "romeo@example.org", "Hi"),
                "im.parley.app");
        assertThat(alert.getPriority()).isEqualTo(DeliveryPriority.IMMEDIATE);
        assertThat(alert.getPushType()).isEqualTo(PushType.ALERT);
        assertThat(alert.getPayload()).contains("\"body\":\"Hi\"");

        SimpleApnsPushNotification background = ApnsSender.notification(phone, new Notification(1, "romeo@example.org", null),
                "im.parley.app");
        assertThat(background.getPriority()).isEqualTo(DeliveryPriority.CONSERVE_POWER);
        assertThat(background.getPushType()).isEqualTo(PushType.BACKGROUND);
        assertThat(background.getPayload()).contains("\"content-available\":1").doesNotContain("alert");
    }

    @Test
    void registeringAgainKeepsTheNodeAndChangesTheSecret() {
        RegistrationStore store = new RegistrationStore(null);
        Registration first = store.register("juliet@example.org", "d1", Registration.Service.FCM, "t1", null,
                Registration.Style.DATA, Registration.Platform.ANDROID);
        Registration again = store.register("juliet@example.org", "d1", Registration.Service.FCM, "t2", null,
                Registration.Style.DATA, Registration.Platform.ANDROID);
        assertThat(again.node()).isEqualTo(first.node());
        assertThat(again.secret()).isNotEqualTo(first.secret());
        assertThat(store.byNode(first.node()).orElseThrow().token()).isEqualTo("t2");
    }
}
