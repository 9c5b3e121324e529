package im.parley.server.modules.metrics;

import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The metrics endpoint: every meter of the server (docs/operations.md) in the Prometheus text
 * format, or OpenMetrics 1.0 when the scraper asks for it, on the HTTP listeners at
 * {@code metrics.path}. Off unless {@code metrics.enabled}: figures about users and load are not
 * for everyone who reaches a public listener. With {@code metrics.token} set, a scrape must carry
 * it as a bearer token (RFC 6750 §2.1), else it gets 401.
 */
public final class MetricsModule implements XmppModule {

    static final OptionSection SECTION = new OptionSection("metrics",
            "Metrics for Prometheus (see docs/operations.md): off unless enabled; protect them with a token "
                    + "on a listener others reach.");
    public static final ModuleOption<Boolean> ENABLED = SECTION.option("enabled", ValueType.BOOLEAN, false,
            "Serve the metrics at `metrics.path` on the HTTP and HTTPS listeners.");
    public static final ModuleOption<String> PATH = SECTION.option("path", ValueType.HTTP_PATH, "/metrics",
            "Where the metrics are served.");
    public static final ModuleOption<String> TOKEN = SECTION.option("token", ValueType.OPTIONAL_STRING, null,
            "A secret the scraper sends as `Authorization: Bearer <token>` (Prometheus: `authorization: "
                    + "{credentials: ...}`); null: no token is asked for, so bind the listener to loopback.",
            "\"a long random string\"");
    public static final ModuleOption<Duration> SAMPLE_INTERVAL = SECTION.option("sample_interval", ValueType.DURATION,
            Duration.ofMinutes(1),
            "How old a figure that costs a database query (offline and archived messages) may get before a scrape "
                    + "starts a new count, off the event loop.");

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public boolean global() {
        return true;
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(ENABLED, PATH, TOKEN, SAMPLE_INTERVAL);
    }

    @Override
    public void load(ModuleContext context) {
        if (!context.option(ENABLED)) {
            return;
        }
        String token = context.option(TOKEN);
        context.handleHttp(context.option(PATH), new MetricsEndpoint(context.metrics(), context.blocking(),
                token == null ? null : token.getBytes(StandardCharsets.UTF_8)));
    }
}
