package im.parley.server.modules.adhoc;

import static im.parley.server.module.IqReplies.result;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.event.EventPriority;
import im.parley.server.event.EventType;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.disco.ServerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Ad-Hoc Commands (XEP-0050) on each hosted domain: the commands other modules add, listed in
 * service discovery to those who may run them (§2.2), and executed in sessions (§2.4) that are
 * bounded per requester in number and in idle time (§3.3 leaves the lifetime to the responder).
 *
 * <p>A module adds a command by firing {@link #ADD_COMMAND} on its host while it loads (and
 * declaring {@code adhoc} in {@code dependsOn}): the event is the registry's whole API.
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

    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);
    private static final Namespace ITEMS = Namespace.get(ServerInfo.DISCO_ITEMS);

    /** Node answers go before the disco module's own handler, which knows no command nodes. */
    private static final int DISCO_NODES = EventPriority.HANDLE + 10;

    private final Map<String, AdHocCommand> commands = new ConcurrentHashMap<>();

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
        CommandSessions sessions = new CommandSessions(context.option(MAX_SESSIONS), context.option(SESSION_TIMEOUT),
                context.clock());
        CommandRequests requests = new CommandRequests(commands, sessions);
        context.hook(ADD_COMMAND, EventPriority.HANDLE, command -> {
            if (commands.putIfAbsent(command.node(), command) != null) {
                throw new IllegalStateException("two commands on node " + command.node());
            }
            return Verdict.HANDLED;
        });
        context.addServerFeature(NAMESPACE);
        context.handleServerIq(NAMESPACE, requests::handle);
        context.hook(StanzaEvents.iq("get", Shape.HOST, ServerInfo.DISCO_ITEMS), DISCO_NODES,
                event -> answerNode(context, event, this::commandList));
        context.hook(StanzaEvents.iq("get", Shape.HOST, ServerInfo.DISCO_INFO), DISCO_NODES,
                event -> answerNode(context, event, this::nodeInfo));
    }

    /** Answers a disco query about a command node, or passes it on to the disco module. */
    private static Verdict answerNode(ModuleContext context, StanzaEvent event,
                                      java.util.function.BiFunction<Stanza, String, Element> answer) {
        Stanza iq = event.stanza();
        String node = iq.element().elements().get(0).attributeValue("node");
        Element reply = node == null ? null : answer.apply(iq, node);
        if (reply == null) {
            return Verdict.PASS;
        }
        context.send(new Stanza(reply, iq.to(), iq.from()), event.handling());
        return Verdict.HANDLED;
    }

    /** §2.2: the commands this requester may run, as items of the node {@code commands}. */
    private Element commandList(Stanza iq, String node) {
        if (!NAMESPACE.equals(node)) {
            return null;
        }
        Element query = DocumentHelper.createElement(QName.get("query", ITEMS)).addAttribute("node", NAMESPACE);
        commands.values().stream()
                .filter(command -> iq.from() != null && command.allows(iq.from()))
                .sorted(java.util.Comparator.comparing(AdHocCommand::node))
                .forEach(command -> query.addElement(QName.get("item", ITEMS))
                        .addAttribute("jid", iq.to().toString())
                        .addAttribute("node", command.node())
                        .addAttribute("name", command.name()));
        return result(iq, query);
    }

    /**
     * §2.2: the list node is {@code automation/command-list}; a command node is
     * {@code automation/command-node}, and {@code forbidden} to whom may not run it.
     */
    private Element nodeInfo(Stanza iq, String node) {
        Element query = DocumentHelper.createElement(QName.get("query", INFO)).addAttribute("node", node);
        if (NAMESPACE.equals(node)) {
            query.addElement(QName.get("identity", INFO)).addAttribute("category", "automation")
                    .addAttribute("type", "command-list").addAttribute("name", "Commands");
            return result(iq, query);
        }
        AdHocCommand command = commands.get(node);
        if (command == null) {
            return null;
        }
        if (iq.from() == null || !command.allows(iq.from())) {
            return CommandRequests.error(iq, StanzaErrorCondition.FORBIDDEN, null, null);
        }
        query.addElement(QName.get("identity", INFO)).addAttribute("category", "automation")
                .addAttribute("type", "command-node").addAttribute("name", command.name());
        query.addElement(QName.get("feature", INFO)).addAttribute("var", NAMESPACE);
        query.addElement(QName.get("feature", INFO)).addAttribute("var", DataForm.NAMESPACE);
        return result(iq, query);
    }
}
