package im.parley.server.modules.extdisco;

import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * External Service Discovery (XEP-0215): the STUN and TURN servers of the configuration,
 * announced by each hosted domain to its own users, with time-limited TURN credentials made from
 * the secret the TURN server shares ({@link TurnCredentials}). Nothing is announced, and the
 * feature is not offered, while {@code extdisco.services} is empty.
 */
public final class ExternalServiceModule implements XmppModule {

    public static final String NAMESPACE = "urn:xmpp:extdisco:2";

    static final OptionSection SECTION = new OptionSection("extdisco", "External Service Discovery (XEP-0215): "
            + "STUN and TURN servers for calls, with TURN credentials from a secret shared with the TURN server.");
    public static final ModuleOption<List<ExternalService>> SERVICES = SECTION.option("services",
            ExternalService.LIST, List.of(), "The services announced to the users of every hosted domain; "
                    + "`restricted: true` gives each user time-limited credentials (needs a secret).",
            "[{host: \"turn.example.org\", port: 3478, type: \"turn\", transport: \"udp\", restricted: true}]");
    public static final ModuleOption<String> SECRET = SECTION.option("secret", ValueType.OPTIONAL_STRING, null,
            "The TURN server's shared secret (coturn's `static-auth-secret`); prefer `secret_file`. Never logged.");
    public static final ModuleOption<Path> SECRET_FILE = SECTION.option("secret_file", ValueType.OPTIONAL_PATH, null,
            "File holding the shared secret (its first line; keep it 0600); used instead of `secret`.");
    public static final ModuleOption<Duration> CREDENTIALS_TTL = SECTION.option("credentials_ttl",
            ValueType.DURATION, Duration.ofDays(1), "How long handed-out TURN credentials stay valid (`expires`).");

    @Override
    public String name() {
        return "extdisco";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(SERVICES, SECRET, SECRET_FILE, CREDENTIALS_TTL);
    }

    @Override
    public void load(ModuleContext context) {
        List<ExternalService> services = context.option(SERVICES);
        if (services.isEmpty()) {
            return;
        }
        TurnCredentials credentials = null;
        if (services.stream().anyMatch(ExternalService::restricted)) {
            credentials = new TurnCredentials(secret(context), context.option(CREDENTIALS_TTL), context.clock());
        }
        context.addServerFeature(NAMESPACE);
        context.handleServerIq(NAMESPACE, new ExternalServiceRequests(context.host().domain(), services, credentials));
    }

    /** The secret, from its file if one is named; the message of a failure never includes it. */
    private static String secret(ModuleContext context) {
        Path file = context.option(SECRET_FILE);
        String secret = context.option(SECRET);
        if (file != null) {
            try {
                secret = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            } catch (IOException e) {
                throw new UncheckedIOException(SECRET_FILE + ": cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException(SERVICES + " has a restricted service: set " + SECRET_FILE
                    + " (or " + SECRET + ") to the TURN server's shared secret");
        }
        return secret;
    }
}
