package im.parley.push;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Firebase Cloud Messaging HTTP v1.
 *
 * @param projectId the Firebase project; requests go to {@code {endpoint}/v1/projects/{projectId}/messages:send}
 * @param serviceAccountFile the service account key (JSON) whose OAuth2 token authorizes the requests
 * @param endpoint {@code https://fcm.googleapis.com} unless testing
 * @param tokenEndpoint the OAuth2 token endpoint, or null for the one in the service account file
 */
public record FcmSettings(String projectId, Path serviceAccountFile, URI endpoint, URI tokenEndpoint) {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://fcm.googleapis.com");

    public FcmSettings {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(serviceAccountFile, "serviceAccountFile");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
