package im.parley.push;

import im.parley.core.component.InProcessComponent;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The push app server as a component a server runs in its own process (Parley's
 * {@code push.app_server}): the same XEP-0114 component any server could use, connected to the
 * server's own component listener. Registered in
 * {@code META-INF/services/im.parley.core.component.InProcessComponent}.
 *
 * <p>Options, keyed as under Parley's {@code push.app_server} section: {@code registrations_file}
 * (null: {@code <data_dir>/push-registrations.json}), {@code fcm.*} (FCM is used when
 * {@code fcm.project_id} is set) and {@code apns.*} (APNs when {@code apns.signing_key} is set).
 */
public final class InProcessPushAppServer implements InProcessComponent {

    public static final String NAME = "push-app-server";
    /** How long the server may take to accept the handshake. */
    private static final long START_TIMEOUT_SECONDS = 30;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AutoCloseable start(Settings settings) throws Exception {
        PushAppServer appServer = new PushAppServer(settings(settings));
        try {
            return appServer.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            appServer.close();
            throw e;
        }
    }

    static AppServerSettings settings(Settings settings) {
        Map<String, Object> options = settings.options();
        String projectId = (String) options.get("fcm.project_id");
        FcmSettings fcm = projectId == null ? null : new FcmSettings(projectId,
                (Path) options.get("fcm.service_account"), URI.create((String) options.get("fcm.endpoint")),
                uri((String) options.get("fcm.token_endpoint")));
        Path signingKey = (Path) options.get("apns.signing_key");
        ApnsSettings apns = signingKey == null ? null : new ApnsSettings(signingKey, (String) options.get("apns.team_id"),
                (String) options.get("apns.key_id"), (String) options.get("apns.topic"),
                (String) options.get("apns.host"), (Integer) options.get("apns.port"),
                (Path) options.get("apns.trusted_certificates"));
        Path registrations = (Path) options.get("registrations_file");
        return new AppServerSettings(settings.domain(), settings.secret(), settings.host(), settings.port(),
                registrations != null ? registrations : settings.dataDir().resolve("push-registrations.json"), fcm, apns);
    }

    private static URI uri(String text) {
        return text == null ? null : URI.create(text);
    }
}
