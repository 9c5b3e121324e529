package im.parley.server.modules.sm;

import im.parley.server.c2s.C2sFeatures;
import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.time.Duration;
import java.util.List;

/**
 * Stream management (XEP-0198) for clients: offers the {@code <sm xmlns='urn:xmpp:sm:3'/>}
 * stream feature with resource binding (§2), which does the rest ({@link StreamManagementFeature}).
 */
public final class StreamManagementModule implements XmppModule {

    /** After resource binding, with the other post-authentication features. */
    public static final int FEATURE_ORDER = C2sFeatures.BIND + 500;

    static final OptionSection SECTION = new OptionSection("stream_management", "Stream management for clients "
            + "(XEP-0198): acknowledgements, and resumption of a session whose connection was lost (see docs/mobile.md).");
    public static final ModuleOption<Boolean> ENABLED = SECTION.option("enabled", ValueType.BOOLEAN, true,
            "Whether stream management is offered to clients (XEP-0198 §2).");
    public static final ModuleOption<Duration> RESUME_TIMEOUT = SECTION.option("resume_timeout", ValueType.DURATION,
            Duration.ofMinutes(5), "How long a session whose connection was lost waits for the client to resume it "
                    + "(XEP-0198 §5); then its unacknowledged messages go to offline storage.");
    public static final ModuleOption<Duration> MAX_HIBERNATION = SECTION.option("max_hibernation", ValueType.DURATION,
            Duration.ofHours(72), "The longest a waiting session may be kept when extended (by push notifications).");
    public static final ModuleOption<Integer> MAX_UNACKED = SECTION.option("max_unacked", ValueType.POSITIVE, 1000,
            "Most stanzas kept per session, unacknowledged or queued while waiting; more end the session "
                    + "(its messages go to offline storage).");
    public static final ModuleOption<Integer> REQUEST_ACK_EVERY = SECTION.option("request_ack_every", ValueType.POSITIVE,
            5, "The server asks for an acknowledgement after this many unacknowledged stanzas (XEP-0198 §4).");
    public static final ModuleOption<Duration> REQUEST_ACK_DELAY = SECTION.option("request_ack_delay",
            ValueType.DURATION, Duration.ofSeconds(10), "... or this long after the first unacknowledged stanza.");

    @Override
    public String name() {
        return "stream-management";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(ENABLED, RESUME_TIMEOUT, MAX_HIBERNATION, MAX_UNACKED, REQUEST_ACK_EVERY, REQUEST_ACK_DELAY);
    }

    @Override
    public void load(ModuleContext context) {
        StreamManagementConfig config = StreamManagementConfig.of(context);
        if (config.enabled()) {
            context.addStreamFeature(FEATURE_ORDER, () -> new StreamManagementFeature(config));
        }
    }
}
