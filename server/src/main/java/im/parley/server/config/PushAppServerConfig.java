package im.parley.server.config;

import java.nio.file.Path;

/**
 * The push app server Parley can run in-process (module {@code push-appserver}): an XEP-0114
 * component that connects to Parley's own component listener with the secret configured for its
 * domain in {@code components}. FCM is used when {@code fcmProjectId} is set, APNs when
 * {@code apnsSigningKey} is set.
 *
 * @param enabled whether Parley starts it
 * @param domain its component domain (needs a secret in {@code components})
 * @param registrationsFile where device registrations are kept; null: {@code <data_dir>/push-registrations.json}
 * @param fcmProjectId the Firebase project id, or null without FCM
 * @param fcmServiceAccount the service account key file (JSON)
 * @param fcmEndpoint the FCM HTTP v1 base URL
 * @param fcmTokenEndpoint the OAuth2 token endpoint, or null for the one in the service account file
 * @param apnsSigningKey the APNs {@code .p8} signing key, or null without APNs
 * @param apnsTeamId the Apple developer team id
 * @param apnsKeyId the signing key's id
 * @param apnsTopic the app's bundle id for registrations that name none
 * @param apnsHost the APNs host
 * @param apnsPort the APNs port
 * @param apnsTrustedCertificates PEM file of CAs to trust for the APNs host, or null for the JDK's
 */
public record PushAppServerConfig(boolean enabled, String domain, Path registrationsFile,
                                  String fcmProjectId, Path fcmServiceAccount, String fcmEndpoint, String fcmTokenEndpoint,
                                  Path apnsSigningKey, String apnsTeamId, String apnsKeyId, String apnsTopic,
                                  String apnsHost, int apnsPort, Path apnsTrustedCertificates) {

    public static PushAppServerConfig defaults() {
        return new PushAppServerConfig(false, "push.localhost", null, null, null, "https://fcm.googleapis.com", null,
                null, null, null, null, "api.push.apple.com", 443, null);
    }

    public PushAppServerConfig withEnabled(boolean v) {
        return new PushAppServerConfig(v, domain, registrationsFile, fcmProjectId, fcmServiceAccount, fcmEndpoint,
                fcmTokenEndpoint, apnsSigningKey, apnsTeamId, apnsKeyId, apnsTopic, apnsHost, apnsPort, apnsTrustedCertificates);
    }

    public PushAppServerConfig withDomain(String v) {
        return new PushAppServerConfig(enabled, v, registrationsFile, fcmProjectId, fcmServiceAccount, fcmEndpoint,
                fcmTokenEndpoint, apnsSigningKey, apnsTeamId, apnsKeyId, apnsTopic, apnsHost, apnsPort, apnsTrustedCertificates);
    }

    public PushAppServerConfig withRegistrationsFile(Path v) {
        return new PushAppServerConfig(enabled, domain, v, fcmProjectId, fcmServiceAccount, fcmEndpoint,
                fcmTokenEndpoint, apnsSigningKey, apnsTeamId, apnsKeyId, apnsTopic, apnsHost, apnsPort, apnsTrustedCertificates);
    }

    /** FCM: project, service account, endpoint and token endpoint (null: the file's). */
    public PushAppServerConfig withFcm(String projectId, Path serviceAccount, String endpoint, String tokenEndpoint) {
        return new PushAppServerConfig(enabled, domain, registrationsFile, projectId, serviceAccount, endpoint,
                tokenEndpoint, apnsSigningKey, apnsTeamId, apnsKeyId, apnsTopic, apnsHost, apnsPort, apnsTrustedCertificates);
    }

    /** APNs: signing key, team, key id, default topic, host, port, trusted CAs (null: the JDK's). */
    public PushAppServerConfig withApns(Path signingKey, String teamId, String keyId, String topic, String host, int port,
                                        Path trustedCertificates) {
        return new PushAppServerConfig(enabled, domain, registrationsFile, fcmProjectId, fcmServiceAccount, fcmEndpoint,
                fcmTokenEndpoint, signingKey, teamId, keyId, topic, host, port, trustedCertificates);
    }
}
