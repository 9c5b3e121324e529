package im.parley.server.modules.adhoc;

import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * Test commands for everyone but juliet: {@code echo} completes at once; {@code wizard} asks for a
 * service, then for a state (with prev), then completes naming both (XEP-0050 §2.4.2's example).
 */
public final class WizardModule implements XmppModule {

    static final String ECHO = "echo";
    static final String WIZARD = "wizard";

    @Override
    public String name() {
        return "wizard";
    }

    @Override
    public List<String> dependsOn() {
        return List.of("adhoc");
    }

    @Override
    public void load(ModuleContext context) {
        context.fire(AdHocModule.ADD_COMMAND, new Command(ECHO, "Echo") {
            @Override
            public CommandExecution newExecution(Jid requester) {
                return new CommandExecution() {
                    @Override
                    public CompletionStage<CommandStage> start() {
                        return done(CommandStage.completed(null, "hello " + requester));
                    }

                    @Override
                    public CompletionStage<CommandStage> proceed(CommandAction action, Element form) {
                        throw new AssertionError("a completed command goes nowhere");
                    }
                };
            }
        });
        context.fire(AdHocModule.ADD_COMMAND, new Command(WIZARD, "Configure Service") {
            @Override
            public CommandExecution newExecution(Jid requester) {
                return new Wizard();
            }
        });
    }

    private abstract static class Command extends NamedCommand {

        Command(String node, String name) {
            super(node, name);
        }

        @Override
        public boolean allows(Jid requester) {
            return !requester.toString().startsWith("juliet@");
        }
    }

    private static final class Wizard implements CommandExecution {
        private String service;

        @Override
        public CompletionStage<CommandStage> start() {
            return done(serviceStage());
        }

        @Override
        public CompletionStage<CommandStage> proceed(CommandAction action, Element form) {
            if (service == null) {
                String chosen = DataForm.value(form, "service");
                if (chosen == null) {
                    throw CommandException.badPayload("choose a service");
                }
                service = chosen;
                return done(CommandStage.executing(DataForm.form(null, "Configure Service", "State of " + service)
                        .field("state", "list-single", "Run State", false, List.of("off")).element(),
                        CommandAction.COMPLETE, CommandAction.PREV, CommandAction.COMPLETE));
            }
            return done(CommandStage.completed(null, "Service '" + service + "' is "
                    + DataForm.value(form, "state") + "."));
        }

        @Override
        public CompletionStage<CommandStage> back() {
            service = null;
            return done(serviceStage());
        }

        private static CommandStage serviceStage() {
            return CommandStage.executing(DataForm.form(null, "Configure Service", "Select the service.")
                    .field("service", "list-single", "Service", true, List.of()).element(),
                    CommandAction.NEXT, CommandAction.NEXT);
        }
    }

    private static CompletionStage<CommandStage> done(CommandStage stage) {
        return CompletableFuture.completedFuture(stage);
    }
}
