package im.parley.server.modules.adhoc;

import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.event.EventPriority;
import im.parley.server.event.EventType;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.time.Duration;
import java.util.List;

/**
 * Ad-Hoc Commands (XEP-0050) on each hosted domain: the commands other modules add, listed in
 * service discovery to those who may run them (§2.2), and executed in sessions (§2.4) that are
 * bounded per requester in number and in idle time (§3.3 leaves the lifetime to the responder).
 *
 * <p>A module adds a command by firing {@link #ADD_COMMAND} on its host while it loads (and
 * declaring {@code adhoc} in {@code dependsOn}): the event is the registry's whole API. A module
 * with a service on a domain of its own serves its commands there with {@link CommandService}.
 */
public final class AdHocModule implements XmppModule {

    public static final String NAMESPACE = "http://jabber.org/protocol/commands";

    /** Adds a command to this host's list; handled by this module, so {@code fire} returns true. */
    public static final EventType<AdHocCommand> ADD_COMMAND = EventType.named("adhoc/add-command");

    static final OptionSection SECTION = new OptionSection("adhoc",
            "Ad-hoc commands (XEP-0050), e.g. the service administration commands (XEP-0133).");
    public static final ModuleOption<Integer> MAX_SESSIONS = SECTION.option("max_sessions", ValueType.integer(1, 1000),
            10, "Command sessions one requester (a full JID) may have waiting for its next step on a domain; one more is "
                    + "refused with `resource-constraint` until one completes, is canceled or expires.");
    public static final ModuleOption<Duration> SESSION_TIMEOUT = SECTION.option("session_timeout", ValueType.DURATION,
            Duration.ofMinutes(10), "How long a command session waits for the requester's next step; then it "
                    + "expires, and using it is `session-expired`.");

    @Override
    public String name() {
        return "adhoc";
    }

    @Override
    public List<String> dependsOn() {
        return List.of("disco");
    }

    @Override
    public List<ModuleOption<?>> options() {
        return List.of(MAX_SESSIONS, SESSION_TIMEOUT);
    }

    @Override
    public void load(ModuleContext context) {
        CommandService commands = CommandService.on(context);
        commands.alsoAtOwnBareJid(context);
        context.hook(ADD_COMMAND, EventPriority.HANDLE, command -> {
            commands.add(command);
            return Verdict.HANDLED;
        });
        context.addServerFeature(NAMESPACE);
    }
}
