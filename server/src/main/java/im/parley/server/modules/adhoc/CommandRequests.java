package im.parley.server.modules.adhoc;

import static im.parley.server.module.IqReplies.done;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.modules.adhoc.CommandSessions.Session;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Answers {@code <command/>} requests (XEP-0050 §2.4): starts a session with {@code execute},
 * moves it with {@code next}, {@code prev}, {@code complete} or the stage's default, ends it with
 * {@code cancel} or when the command completes, and refuses everything else with the errors of
 * §4.4.
 */
final class CommandRequests {

    private static final Namespace COMMANDS = Namespace.get(AdHocModule.NAMESPACE);

    private final Map<String, AdHocCommand> commands;
    private final CommandSessions sessions;

    CommandRequests(Map<String, AdHocCommand> commands, CommandSessions sessions) {
        this.commands = commands;
        this.sessions = sessions;
    }

    CompletionStage<Element> handle(Stanza iq) {
        Element command = iq.element().element(QName.get("command", COMMANDS));
        if (!"set".equals(iq.type()) || command == null) {
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, null, "commands are executed with an IQ set"));
        }
        String node = command.attributeValue("node");
        if (node == null || node.isEmpty()) {
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, null, "the command has no node"));
        }
        Optional<CommandAction> action = CommandAction.parse(command.attributeValue("action"));
        if (action.isEmpty()) {
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, "malformed-action",
                    "unknown action " + command.attributeValue("action")));
        }
        AdHocCommand target = commands.get(node);
        if (target == null) {
            return done(error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null, null));
        }
        if (iq.from() == null || !target.allows(iq.from())) {
            return done(error(iq, StanzaErrorCondition.FORBIDDEN, null, null));
        }
        String sessionId = command.attributeValue("sessionid");
        return sessionId == null ? start(iq, target, action.get()) : resume(iq, node, sessionId, action.get(), command);
    }

    private CompletionStage<Element> start(Stanza iq, AdHocCommand target, CommandAction action) {
        if (action != CommandAction.EXECUTE) {
            // §3.3: a session starts with execute; anything else needs the sessionid it was given.
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, "bad-action",
                    action.xmlName() + " needs the sessionid of a running command"));
        }
        Session session = sessions.open(iq.from(), target);
        return step(iq, session, () -> session.execution.start());
    }

    private CompletionStage<Element> resume(Stanza iq, String node, String sessionId, CommandAction action,
                                            Element command) {
        CommandSessions.Taken taken = sessions.take(iq.from(), sessionId);
        switch (taken.lookup()) {
            case EXPIRED:
                return done(error(iq, StanzaErrorCondition.NOT_ALLOWED, "session-expired",
                        "the session ended (completed, canceled or timed out)"));
            case UNKNOWN:
                return done(error(iq, StanzaErrorCondition.BAD_REQUEST, "bad-sessionid", null));
            case BUSY:
                return done(error(iq, StanzaErrorCondition.UNEXPECTED_REQUEST, null,
                        "the previous request of this session is still being processed"));
            default:
                break;
        }
        Session session = taken.session();
        if (!session.command.node().equals(node)) {
            sessions.stepFailed(session);
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, "bad-sessionid",
                    "the session runs another command"));
        }
        if (action == CommandAction.CANCEL) {
            // §2.4.3: the responder frees what the session holds and confirms.
            sessions.end(session);
            session.execution.cancel();
            return done(reply(iq, session, "canceled", null));
        }
        CommandAction resolved = action == CommandAction.EXECUTE ? session.stage.defaultAction() : action;
        if (!session.stage.actions().contains(resolved)) {
            sessions.stepFailed(session);
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, "bad-action",
                    resolved.xmlName() + " is not one of this stage's actions"));
        }
        Element form = DataForm.submitted(command);
        return step(iq, session, () -> resolved == CommandAction.PREV
                ? session.execution.back() : session.execution.proceed(resolved, form));
    }

    /** Runs one step of a session and answers with the stage it reaches, or the error it failed with. */
    private CompletionStage<Element> step(Stanza iq, Session session,
                                          java.util.function.Supplier<CompletionStage<CommandStage>> work) {
        CompletionStage<CommandStage> stage;
        try {
            stage = work.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((reached, failure) -> {
            if (failure != null) {
                sessions.stepFailed(session);
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof CommandException refused) {
                    return error(iq, refused.condition(), refused.specific(), refused.getMessage());
                }
                throw new CompletionException(cause);
            }
            if (reached.completed()) {
                sessions.end(session);
            } else if (!sessions.waitAt(session, reached)) {
                session.execution.cancel();
                return error(iq, StanzaErrorCondition.RESOURCE_CONSTRAINT, null,
                        "too many command sessions open: complete or cancel one, or wait for one to expire");
            }
            return reply(iq, session, reached.completed() ? "completed" : "executing", reached);
        });
    }

    private static Element reply(Stanza iq, Session session, String status, CommandStage stage) {
        Element result = Stanzas.iqResult(iq.element());
        Element command = result.addElement(QName.get("command", COMMANDS))
                .addAttribute("node", session.command.node())
                .addAttribute("sessionid", session.id)
                .addAttribute("status", status);
        if (stage == null) {
            return result;
        }
        if (!stage.completed()) {
            // §3.4: every stage but the last says what the requester may do, and what execute means.
            Element actions = command.addElement(QName.get("actions", COMMANDS))
                    .addAttribute("execute", stage.defaultAction().xmlName());
            for (CommandAction allowed : new CommandAction[] {CommandAction.PREV, CommandAction.NEXT,
                    CommandAction.COMPLETE}) {
                if (stage.actions().contains(allowed)) {
                    actions.addElement(QName.get(allowed.xmlName(), COMMANDS));
                }
            }
        }
        for (CommandStage.Note note : stage.notes()) {
            command.addElement(QName.get("note", COMMANDS)).addAttribute("type", note.type()).setText(note.text());
        }
        if (stage.payload() != null) {
            command.add(stage.payload().createCopy());
        }
        return result;
    }

    /** A stanza error with XEP-0050's specific condition (§4.4) when there is one. */
    static Element error(Stanza iq, StanzaErrorCondition condition, String specific, String text) {
        Element reply = Stanzas.errorReply(iq.element(), StanzaError.of(condition, text));
        if (specific != null) {
            reply.element("error").addElement(QName.get(specific, COMMANDS));
        }
        return reply;
    }
}
