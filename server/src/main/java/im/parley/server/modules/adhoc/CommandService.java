package im.parley.server.modules.adhoc;

import static im.parley.server.module.IqReplies.done;
import static im.parley.server.module.IqReplies.result;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.modules.disco.ServerInfo;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.Jid;

/**
 * Ad-Hoc Commands (XEP-0050) served on one host: the {@code <command/>} requests (§2.4, in
 * sessions bounded by {@code adhoc.*}) and the command nodes in service discovery (§2.2). The
 * adhoc module serves one on each hosted domain; a module that runs a service on a domain of its
 * own (the pubsub service's pending-subscriptions command) serves one there.
 */
public final class CommandService {

    private static final String NAMESPACE = AdHocModule.NAMESPACE;
    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);
    private static final Namespace ITEMS = Namespace.get(ServerInfo.DISCO_ITEMS);

    /** Node answers go before the host's own disco handler, which knows no command nodes. */
    private static final int DISCO_NODES = EventPriority.HANDLE + 10;

    private final Map<String, AdHocCommand> commands = new ConcurrentHashMap<>();
    private final CommandRequests requests;

    private CommandService(CommandSessions sessions) {
        this.requests = new CommandRequests(commands, sessions);
    }

    /** Serves commands on {@code context}'s host; call while loading. The host's disco#info shows the feature itself. */
    public static CommandService on(ModuleContext context) {
        CommandService service = new CommandService(new CommandSessions(context.option(AdHocModule.MAX_SESSIONS),
                context.option(AdHocModule.SESSION_TIMEOUT), context.clock()));
        context.handleServerIq(NAMESPACE, service.requests::handle);
        context.hook(StanzaEvents.iq("get", Shape.HOST, ServerInfo.DISCO_ITEMS), DISCO_NODES,
                event -> answerNode(context, event, service::commandList));
        context.hook(StanzaEvents.iq("get", Shape.HOST, ServerInfo.DISCO_INFO), DISCO_NODES,
                event -> answerNode(context, event, service::nodeInfo));
        return service;
    }

    /**
     * Serves the same commands to each account at its own bare JID too: a request an account
     * sends to its bare JID (or without {@code to}) the server answers on its behalf (RFC 6120
     * §10.3.3), here as the host would, as ejabberd and Openfire do and clients and test suites
     * written against them expect. The commands' items name the bare JID, where the client then
     * runs them. Anyone else's request to an account's bare JID is left to the other handlers
     * (in the end {@code service-unavailable}, RFC 6121 §8.5.2.1.3).
     */
    public void alsoAtOwnBareJid(ModuleContext context) {
        context.handleAccountIq(NAMESPACE, iq -> ownAccount(iq) ? requests.handle(iq)
                : done(CommandRequests.error(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, null, null)));
        context.hook(StanzaEvents.iq("get", Shape.BARE, ServerInfo.DISCO_ITEMS), DISCO_NODES,
                event -> ownAccount(event.stanza()) ? answerNode(context, event, this::commandList) : Verdict.PASS);
        context.hook(StanzaEvents.iq("get", Shape.BARE, ServerInfo.DISCO_INFO), DISCO_NODES,
                event -> ownAccount(event.stanza()) ? answerNode(context, event, this::nodeInfo) : Verdict.PASS);
    }

    /** Whether {@code iq} comes from an account to its own bare JID (or to no one). */
    private static boolean ownAccount(Stanza iq) {
        return iq.from() != null && (iq.to() == null || iq.to().equals(iq.from().asBareJid()));
    }

    /**
     * Adds a command.
     *
     * @throws IllegalStateException if a command has its node already
     */
    public void add(AdHocCommand command) {
        if (commands.putIfAbsent(command.node(), command) != null) {
            throw new IllegalStateException("two commands on node " + command.node());
        }
    }

    /** Answers a disco query about a command node, or passes it on to the disco module. */
    private static Verdict answerNode(ModuleContext context, StanzaEvent event,
                                      BiFunction<Stanza, String, Element> answer) {
        Stanza iq = event.stanza();
        String node = iq.element().elements().get(0).attributeValue("node");
        Element reply = node == null ? null : answer.apply(iq, node);
        if (reply == null) {
            return Verdict.PASS;
        }
        Jid from = iq.to() != null ? iq.to() : iq.from().asBareJid();
        context.send(new Stanza(reply, from, iq.from()), event.handling());
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
                .sorted(Comparator.comparing(AdHocCommand::node))
                .forEach(command -> query.addElement(QName.get("item", ITEMS))
                        .addAttribute("jid", (iq.to() != null ? iq.to() : iq.from().asBareJid()).toString())
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
