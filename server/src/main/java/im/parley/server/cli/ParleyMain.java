package im.parley.server.cli;

import im.parley.server.admin.AdminChannelException;
import im.parley.server.config.ConfigException;
import im.parley.server.storage.StorageException;
import java.io.Console;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Entry point of the {@code parley} command (see {@code bin/parley}). */
public final class ParleyMain {

    private ParleyMain() {
    }

    public static void main(String[] args) {
        String first = args.length > 0 ? args[0] : null;
        System.exit(commandLine(System.console(), System.in, first).execute(args));
    }

    /**
     * The command line with every subcommand; errors become one line on stderr and an exit code
     * from {@link ExitCodes}.
     *
     * @param console the terminal to ask passwords on, or {@code null} to read them from {@code stdin}
     */
    static CommandLine commandLine(Console console, InputStream stdin) {
        return commandLine(console, stdin, null);
    }

    /**
     * The command line with only the subcommand {@code first} names, if it names one, else with
     * every subcommand. Picocli reads each registered command's annotations by reflection when
     * it is added, tens of milliseconds for all of them on a cold JVM, and {@code parley run}
     * needs only its own (issue 19: the time from the command to an accepting port).
     */
    static CommandLine commandLine(Console console, InputStream stdin, String first) {
        Map<String, Supplier<Object>> subcommands = subcommands(console, stdin);
        CommandLine commandLine = new CommandLine(new ParleyCommand());
        if (first != null && subcommands.containsKey(first)) {
            commandLine.addSubcommand(subcommands.get(first).get());
        } else {
            subcommands.values().forEach(subcommand -> commandLine.addSubcommand(subcommand.get()));
        }
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("parley: " + e.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE_OR_CONFIG;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            failed.getErr().println("parley: " + message(e));
            return exitCode(e);
        });
        return commandLine;
    }

    /** The subcommands by name, in the order {@code parley --help} lists them; each made when asked for. */
    static Map<String, Supplier<Object>> subcommands(Console console, InputStream stdin) {
        PasswordReader passwords = new PasswordReader(console, stdin);
        TextReader texts = new TextReader(stdin);
        Map<String, Supplier<Object>> subcommands = new LinkedHashMap<>();
        subcommands.put("run", RunCommand::new);
        subcommands.put("check-config", CheckConfigCommand::new);
        subcommands.put("status", StatusCommand::new);
        subcommands.put("reload", ReloadCommand::new);
        subcommands.put("adduser", () -> new AddUserCommand(passwords));
        subcommands.put("passwd", () -> new PasswdCommand(passwords));
        subcommands.put("deluser", DelUserCommand::new);
        subcommands.put("users", UsersCommand::new);
        subcommands.put("disable", DisableCommand.Disable::new);
        subcommands.put("enable", DisableCommand.Enable::new);
        subcommands.put("kick", KickCommand::new);
        subcommands.put("announce", () -> new AnnounceCommand(texts));
        subcommands.put("import", ImportCommand::new);
        subcommands.put("export", ExportCommand::new);
        subcommands.put("motd", () -> new CommandLine(new MotdCommand())
                .addSubcommand(new MotdCommand.Show())
                .addSubcommand(new MotdCommand.Set(texts))
                .addSubcommand(new MotdCommand.Delete()));
        return subcommands;
    }

    private static int exitCode(Exception e) {
        if (e instanceof ConfigException) {
            return ExitCodes.USAGE_OR_CONFIG;
        } else if (e instanceof UserErrorException || e instanceof IllegalArgumentException) {
            return ExitCodes.USER_ERROR; // IllegalArgumentException: a refused password
        }
        return ExitCodes.FAILURE;
    }

    private static String message(Exception e) {
        if (e instanceof ConfigException || e instanceof UserErrorException || e instanceof IllegalArgumentException
                || e instanceof StorageException || e instanceof AdminChannelException || e instanceof java.io.IOException) {
            return e.getMessage();
        }
        return "unexpected failure: " + e;
    }
}
