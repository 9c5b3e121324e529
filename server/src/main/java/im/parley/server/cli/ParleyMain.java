package im.parley.server.cli;

import im.parley.server.admin.AdminChannelException;
import im.parley.server.config.ConfigException;
import im.parley.server.storage.StorageException;
import java.io.Console;
import java.io.InputStream;
import picocli.CommandLine;

/** Entry point of the {@code parley} command (see {@code bin/parley}). */
public final class ParleyMain {

    private ParleyMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.console(), System.in).execute(args));
    }

    /**
     * The command line with every subcommand; errors become one line on stderr and an exit code
     * from {@link ExitCodes}.
     *
     * @param console the terminal to ask passwords on, or {@code null} to read them from {@code stdin}
     */
    static CommandLine commandLine(Console console, InputStream stdin) {
        PasswordReader passwords = new PasswordReader(console, stdin);
        TextReader texts = new TextReader(stdin);
        CommandLine motd = new CommandLine(new MotdCommand())
                .addSubcommand(new MotdCommand.Show())
                .addSubcommand(new MotdCommand.Set(texts))
                .addSubcommand(new MotdCommand.Delete());
        CommandLine commandLine = new CommandLine(new ParleyCommand())
                .addSubcommand(new RunCommand())
                .addSubcommand(new CheckConfigCommand())
                .addSubcommand(new StatusCommand())
                .addSubcommand(new ReloadCommand())
                .addSubcommand(new AddUserCommand(passwords))
                .addSubcommand(new PasswdCommand(passwords))
                .addSubcommand(new DelUserCommand())
                .addSubcommand(new UsersCommand())
                .addSubcommand(new DisableCommand.Disable())
                .addSubcommand(new DisableCommand.Enable())
                .addSubcommand(new KickCommand())
                .addSubcommand(new AnnounceCommand(texts))
                .addSubcommand(new ImportCommand())
                .addSubcommand(new ExportCommand())
                .addSubcommand(motd);
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
