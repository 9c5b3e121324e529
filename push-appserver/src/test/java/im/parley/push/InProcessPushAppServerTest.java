package im.parley.push;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.component.InProcessComponent;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The app server as a server finds it at run time (Parley's {@code push.app_server}): by
 * {@link ServiceLoader}, with its settings read from the options Parley passes by key.
 */
class InProcessPushAppServerTest {

    @Test
    void aServerFindsItOnTheClassPath() {
        assertThat(ServiceLoader.load(InProcessComponent.class).stream().map(p -> p.get().name()))
                .contains(InProcessPushAppServer.NAME);
    }

    @Test
    void optionsBecomeTheAppServerSettings() {
        Map<String, Object> options = new HashMap<>();
        options.put("registrations_file", null);
        options.put("fcm.project_id", "parley-test");
        options.put("fcm.service_account", Path.of("account.json"));
        options.put("fcm.endpoint", "https://fcm.example");
        options.put("fcm.token_endpoint", null);
        options.put("apns.signing_key", Path.of("key.p8"));
        options.put("apns.team_id", "TEAM");
        options.put("apns.key_id", "KEY");
        options.put("apns.topic", "im.parley.app");
        options.put("apns.host", "api.push.apple.com");
        options.put("apns.port", 443);
        options.put("apns.trusted_certificates", null);

        AppServerSettings settings = InProcessPushAppServer.settings(new InProcessComponent.Settings("push.example",
                "secret", "127.0.0.1", 5347, Path.of("data"), options));

        assertThat(settings.registrationsFile()).isEqualTo(Path.of("data", "push-registrations.json"));
        assertThat(settings.fcm()).isEqualTo(new FcmSettings("parley-test", Path.of("account.json"),
                URI.create("https://fcm.example"), null));
        assertThat(settings.apns()).isEqualTo(new ApnsSettings(Path.of("key.p8"), "TEAM", "KEY", "im.parley.app",
                "api.push.apple.com", 443, null));
    }

    @Test
    void withoutAProjectOrASigningKeyThereIsNoFcmOrApns() {
        Map<String, Object> options = new HashMap<>();
        options.put("registrations_file", Path.of("devices.json"));

        AppServerSettings settings = InProcessPushAppServer.settings(new InProcessComponent.Settings("push.example",
                "secret", "127.0.0.1", 5347, Path.of("data"), options));

        assertThat(settings.registrationsFile()).isEqualTo(Path.of("devices.json"));
        assertThat(settings.fcm()).isNull();
        assertThat(settings.apns()).isNull();
    }
}
