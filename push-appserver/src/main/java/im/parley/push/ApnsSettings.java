package im.parley.push;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Apple Push Notification service over HTTP/2 with token-based authentication.
 *
 * @param signingKeyFile the {@code .p8} key from Apple's developer account
 * @param teamId the developer team id
 * @param keyId the key's id
 * @param topic the app's bundle id, used when a registration names none
 * @param host {@code api.push.apple.com} (or {@code api.sandbox.push.apple.com}) unless testing
 * @param port 443 (or 2197)
 * @param trustedCertificates a PEM file of the CAs to trust for the APNs host, or null for the JDK's
 */
public record ApnsSettings(Path signingKeyFile, String teamId, String keyId, String topic, String host, int port,
                           Path trustedCertificates) {

    public static final String PRODUCTION_HOST = "api.push.apple.com";
    public static final String SANDBOX_HOST = "api.sandbox.push.apple.com";

    public ApnsSettings {
        Objects.requireNonNull(signingKeyFile, "signingKeyFile");
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(host, "host");
    }
}
