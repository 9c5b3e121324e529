package im.parley.server.modules.pubsub;

import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.adhoc.AdHocCommand;
import im.parley.server.modules.adhoc.CommandAction;
import im.parley.server.modules.adhoc.CommandException;
import im.parley.server.modules.adhoc.CommandExecution;
import im.parley.server.modules.adhoc.CommandStage;
import im.parley.server.modules.pep.Pubsub;
import im.parley.server.modules.pep.Pubsub.Refusal;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.Jid;

/**
 * XEP-0060 §8.7, Process Pending Subscription Requests: an ad-hoc command (XEP-0050) of the
 * service, {@code http://jabber.org/protocol/pubsub#get-pending}. Its form lists the nodes the
 * requester owns ({@code forbidden} if none, §8.7.3.3); for the node it submits, the service sends
 * it one approval form (§8.6) per pending subscription and completes. The steps run in turn with
 * the service's requests.
 */
final class PendingSubscriptionsCommand implements AdHocCommand {

    static final String NODE = Pubsub.NS + "#get-pending";

    /** Runs a step in turn with the service's requests, on the blocking pool. */
    interface Turns {
        <T> CompletionStage<T> inTurn(Supplier<T> step);
    }

    private final PubsubService service;
    private final Turns turns;

    PendingSubscriptionsCommand(PubsubService service, Turns turns) {
        this.service = service;
        this.turns = turns;
    }

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public String name() {
        return "Get pending subscription requests";
    }

    /** Any entity with a localpart; whether it owns a node is the first step's question (it reads storage). */
    @Override
    public boolean allows(Jid requester) {
        return requester.hasLocalpart();
    }

    @Override
    public CommandExecution newExecution(Jid requester) {
        return new CommandExecution() {
            @Override
            public CompletionStage<CommandStage> start() {
                return turns.inTurn(() -> {
                    List<String> owned = service.subscriptions().ownedNodes(requester.asBareJid());
                    if (owned.isEmpty()) {
                        throw new CommandException(StanzaErrorCondition.FORBIDDEN, null,
                                "you own no node of this service");
                    }
                    return CommandStage.lastForm(form(owned));
                });
            }

            @Override
            public CompletionStage<CommandStage> proceed(CommandAction action, Element submitted) {
                String node = Pubsub.fields(submitted).getOrDefault("pubsub#node", List.of()).stream().findFirst()
                        .orElseThrow(() -> CommandException.badPayload("name a node (pubsub#node)"));
                return turns.inTurn(() -> {
                    try {
                        int sent = service.subscriptions().askAgain(requester, node);
                        return CommandStage.completed(null, sent + " pending subscription requests sent");
                    } catch (Refusal refusal) {
                        throw new CommandException(refusal.condition, null, refusal.getMessage());
                    }
                });
            }
        };
    }

    /** §8.7.2: the subscribe_authorization form with the requester's nodes to choose from. */
    private static Element form(List<String> nodes) {
        Element x = DocumentHelper.createElement(QName.get("x", Pubsub.DATA)).addAttribute("type", "form");
        x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", "FORM_TYPE").addAttribute("type", "hidden")
                .addElement(QName.get("value", Pubsub.DATA)).setText(Events.SUBSCRIBE_AUTHORIZATION);
        Element field = x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", "pubsub#node")
                .addAttribute("type", "list-single");
        nodes.forEach(node -> field.addElement(QName.get("option", Pubsub.DATA))
                .addElement(QName.get("value", Pubsub.DATA)).setText(node));
        return x;
    }
}
