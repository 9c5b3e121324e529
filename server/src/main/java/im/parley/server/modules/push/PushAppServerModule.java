package im.parley.server.modules.push;

import im.parley.core.component.InProcessComponent;
import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.RunningServer;
import im.parley.server.module.XmppModule;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Runs the push app server (XEP-0357 §3, artifact {@code parley-push-appserver}) inside Parley
 * when {@code push.app_server.enabled}: once the listeners are bound it connects over loopback
 * to Parley's own component listener with the secret configured for its domain in
 * {@code components}, so Parley treats it exactly like an external component. The server does
 * not link against the app server: it is found at run time ({@link InProcessComponent}).
 */
public final class PushAppServerModule implements XmppModule {

    static final String COMPONENT = "push-app-server";

    static final OptionSection SECTION = new OptionSection("push.app_server", "The push app server Parley can run "
            + "itself, as a component on its own listener (`component.enabled` and a secret for its domain in "
            + "`components` are required).");
    static final OptionSection FCM = new OptionSection("push.app_server.fcm", "Firebase Cloud Messaging (HTTP v1) for "
            + "the app server; on when `project_id` is set.");
    static final OptionSection APNS = new OptionSection("push.app_server.apns", "Apple Push Notification service "
            + "(HTTP/2, token authentication) for the app server; on when `signing_key` is set.");

    public static final ModuleOption<Boolean> ENABLED = SECTION.option("enabled", ValueType.BOOLEAN, false,
            "Whether Parley runs the push app server.");
    public static final ModuleOption<String> DOMAIN = SECTION.option("domain", ValueType.STRING, "push.localhost",
            "The app server's component domain: clients register with it and enable it as their push service.");
    public static final ModuleOption<Path> REGISTRATIONS_FILE = SECTION.option("registrations_file",
            ValueType.OPTIONAL_PATH, null, "JSON file of registered devices; null: `<data_dir>/push-registrations.json`.");
    public static final ModuleOption<String> FCM_PROJECT_ID = FCM.option("project_id", ValueType.OPTIONAL_STRING, null,
            "The Firebase project id; null: no FCM.");
    public static final ModuleOption<Path> FCM_SERVICE_ACCOUNT = FCM.option("service_account", ValueType.OPTIONAL_PATH,
            null, "The service account key (JSON) from the Firebase console.");
    public static final ModuleOption<String> FCM_ENDPOINT = FCM.option("endpoint", ValueType.STRING,
            "https://fcm.googleapis.com", "Base URL of the FCM HTTP v1 API.");
    public static final ModuleOption<String> FCM_TOKEN_ENDPOINT = FCM.option("token_endpoint", ValueType.OPTIONAL_STRING,
            null, "OAuth2 token endpoint; null: the `token_uri` of the service account file.");
    public static final ModuleOption<Path> APNS_SIGNING_KEY = APNS.option("signing_key", ValueType.OPTIONAL_PATH, null,
            "The APNs signing key (`.p8`) from Apple's developer account; null: no APNs.");
    public static final ModuleOption<String> APNS_TEAM_ID = APNS.option("team_id", ValueType.OPTIONAL_STRING, null,
            "The Apple developer team id.");
    public static final ModuleOption<String> APNS_KEY_ID = APNS.option("key_id", ValueType.OPTIONAL_STRING, null,
            "The signing key's id.");
    public static final ModuleOption<String> APNS_TOPIC = APNS.option("topic", ValueType.OPTIONAL_STRING, null,
            "The app's bundle id, for registrations that name none.");
    public static final ModuleOption<String> APNS_HOST = APNS.option("host", ValueType.STRING, "api.push.apple.com",
            "`api.push.apple.com`, or `api.sandbox.push.apple.com` for development builds.");
    public static final ModuleOption<Integer> APNS_PORT = APNS.option("port", ValueType.PORT, 443, "443, or 2197.");
    public static final ModuleOption<Path> APNS_TRUSTED_CERTIFICATES = APNS.option("trusted_certificates",
            ValueType.OPTIONAL_PATH, null, "PEM file of the CAs trusted for the APNs host; null: the JDK's.");

    private static final List<ModuleOption<?>> OPTIONS = List.of(ENABLED, DOMAIN, REGISTRATIONS_FILE, FCM_PROJECT_ID,
            FCM_SERVICE_ACCOUNT, FCM_ENDPOINT, FCM_TOKEN_ENDPOINT, APNS_SIGNING_KEY, APNS_TEAM_ID, APNS_KEY_ID,
            APNS_TOPIC, APNS_HOST, APNS_PORT, APNS_TRUSTED_CERTIFICATES);

    @Override
    public String name() {
        return "push-app-server";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return OPTIONS;
    }

    /** One app server for the whole server, whatever the number of hosted domains. */
    @Override
    public boolean global() {
        return true;
    }

    @Override
    public void load(ModuleContext context) {
        if (!context.option(ENABLED)) {
            return;
        }
        String domain = context.option(DOMAIN);
        Map<String, Object> options = componentOptions(context);
        context.onStarted(server -> {
            InProcessComponent.Settings settings = settings(server, domain, options);
            AutoCloseable appServer = component().start(settings);
            context.onStop(appServer);
            return "push app server " + domain;
        });
    }

    /** Our options under {@code push.app_server}, except those the settings carry themselves. */
    private static Map<String, Object> componentOptions(ModuleContext context) {
        Map<String, Object> options = new HashMap<>();
        for (ModuleOption<?> option : OPTIONS) {
            if (option != ENABLED && option != DOMAIN) {
                options.put(option.key().substring(SECTION.key().length() + 1), context.option(option));
            }
        }
        return options;
    }

    static InProcessComponent.Settings settings(RunningServer server, String domain, Map<String, Object> options) {
        InetSocketAddress listener = server.componentListener().orElseThrow(() ->
                new IllegalStateException("push.app_server needs component.enabled: it connects as a component"));
        String secret = server.componentSecret(domain).orElseThrow(() ->
                new IllegalArgumentException("push.app_server.domain " + domain + " needs a secret in components"));
        String host = listener.getAddress().isAnyLocalAddress() ? "127.0.0.1" : listener.getAddress().getHostAddress();
        return new InProcessComponent.Settings(domain, secret, host, listener.getPort(), server.dataDir(), options);
    }

    private static InProcessComponent component() {
        for (InProcessComponent component : ServiceLoader.load(InProcessComponent.class,
                PushAppServerModule.class.getClassLoader())) {
            if (component.name().equals(COMPONENT)) {
                return component;
            }
        }
        throw new IllegalStateException("push.app_server.enabled needs the push app server (parley-push-appserver) "
                + "on the class path");
    }
}
