package im.parley.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON body of an FCM HTTP v1 {@code messages:send} request for a notification. A data
 * message wakes the app, which then fetches its messages over XMPP: high priority on Android;
 * for an Apple device FCM hands it to APNs as a background push, which Apple accepts only with
 * {@code apns-priority} 5, {@code apns-push-type: background} and {@code content-available}. A
 * notification message is shown by the OS (title: the sender, body: the message when the XMPP
 * server sent it, else a count), with high priority on both platforms.
 */
final class FcmMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FcmMessages() {
    }

    static ObjectNode message(Registration registration, Notification notification) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode message = root.putObject("message");
        message.put("token", registration.token());
        ObjectNode data = message.putObject("data");
        data.put("node", registration.node());
        data.put("message-count", Integer.toString(notification.messageCount()));
        if (registration.style() == Registration.Style.DATA) {
            if (notification.lastSender() != null) {
                data.put("last-message-sender", notification.lastSender());
            }
            if (notification.lastBody() != null) {
                data.put("last-message-body", notification.lastBody());
            }
            if (registration.platform() == Registration.Platform.IOS) {
                ObjectNode apns = message.putObject("apns");
                apns.putObject("headers").put("apns-priority", "5").put("apns-push-type", "background");
                apns.putObject("payload").putObject("aps").put("content-available", 1);
            } else {
                message.putObject("android").put("priority", "high");
            }
        } else {
            ObjectNode shown = message.putObject("notification");
            shown.put("title", Texts.title(notification));
            shown.put("body", Texts.body(notification));
            if (registration.platform() == Registration.Platform.IOS) {
                message.putObject("apns").putObject("headers").put("apns-priority", "10").put("apns-push-type", "alert");
            } else {
                message.putObject("android").put("priority", "high");
            }
        }
        return root;
    }
}
