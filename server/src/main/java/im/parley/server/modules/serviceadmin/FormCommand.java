package im.parley.server.modules.serviceadmin;

import im.parley.server.module.PoolWork;
import im.parley.server.modules.adhoc.NamedCommand;
import im.parley.server.modules.adhoc.CommandAction;
import im.parley.server.modules.adhoc.CommandExecution;
import im.parley.server.modules.adhoc.CommandStage;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * A service administration command (XEP-0133 §4): one form to fill in, then the operation
 * (two stages); or, without a form, the operation at once (one stage, e.g. the numbers of
 * users). Both the form and the operation run on the blocking executor: they read and change
 * the database.
 */
final class FormCommand extends NamedCommand {

    /** XEP-0133 §4: each command's node is this prefix and its use case's name. */
    static final String NODE_PREFIX = "http://jabber.org/protocol/admin#";

    private final Predicate<Jid> admins;
    private final Executor blocking;
    private final Supplier<Element> form;
    private final Function<Element, CommandStage> operation;

    /**
     * @param form makes the form to fill in (blocking allowed), or null for a one-stage command
     * @param operation runs the command with the submitted form (null for a one-stage command)
     */
    FormCommand(String useCase, String name, Predicate<Jid> admins, Executor blocking, Supplier<Element> form,
                Function<Element, CommandStage> operation) {
        super(NODE_PREFIX + useCase, name);
        this.admins = admins;
        this.blocking = blocking;
        this.form = form;
        this.operation = operation;
    }

    @Override
    public boolean allows(Jid requester) {
        return admins.test(requester);
    }

    @Override
    public CommandExecution newExecution(Jid requester) {
        return new CommandExecution() {
            @Override
            public CompletionStage<CommandStage> start() {
                return form == null
                        ? PoolWork.supply(() -> operation.apply(null), blocking)
                        : PoolWork.supply(() -> CommandStage.lastForm(form.get()), blocking);
            }

            @Override
            public CompletionStage<CommandStage> proceed(CommandAction action, Element submitted) {
                return PoolWork.supply(() -> operation.apply(submitted), blocking);
            }
        };
    }
}
