package im.parley.push;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the push app server connects to its XMPP server and to the push services.
 *
 * @param domain the component's domain, e.g. {@code push.example.org} (XEP-0114 §3)
 * @param secret the shared secret of the component handshake
 * @param host the XMPP server's component listener host
 * @param port its port (usually 5347)
 * @param registrationsFile where device registrations are kept (JSON), or null to keep them in memory only
 * @param fcm Firebase Cloud Messaging, or null when not used
 * @param apns Apple Push Notification service, or null when not used
 */
public record AppServerSettings(String domain, String secret, String host, int port, Path registrationsFile,
                                FcmSettings fcm, ApnsSettings apns) {

    public AppServerSettings {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(host, "host");
    }
}
