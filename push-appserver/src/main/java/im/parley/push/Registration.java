package im.parley.push;

/**
 * A device registered with the app server (through an ad-hoc command, as the Conversations app
 * server does): the pubsub node and secret the XMPP server publishes to (XEP-0357 §5), and where
 * the push goes.
 *
 * @param node the node issued to the device
 * @param secret the secret publishes must carry in their publish-options
 * @param owner the bare JID of the account that registered
 * @param deviceId the device's id from the client (one registration per account and device)
 * @param service FCM or APNs
 * @param token the device token of the push service
 * @param appId the app (APNs topic, the bundle id), or null for the configured default
 * @param style what the device gets: a silent wake-up or a notification the OS shows
 * @param platform for FCM, whether the device is an Apple one (FCM then talks to APNs for it)
 */
public record Registration(String node, String secret, String owner, String deviceId, Service service, String token,
                           String appId, Style style, Platform platform) {

    /** The push service. */
    public enum Service { FCM, APNS }

    /** FCM's distinction: a data message wakes the app silently, a notification message is shown by the OS. */
    public enum Style { DATA, NOTIFICATION }

    /** The device's operating system, which decides how FCM messages are shaped. */
    public enum Platform { ANDROID, IOS }
}
