package im.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.sasl.ScramHash;
import im.parley.server.account.AccountService;
import im.parley.server.config.ConfigLoader;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code parley} command run in-process, with standard streams redirected and a temporary data directory. */
class ParleyMainTest {
    @TempDir
    Path dir;
    private Path config;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("parley.yml");
        Files.writeString(config, "domains: [capulet.example, montague.example]\n"
                + "data_dir: \"" + dir.resolve("data").toString().replace("\\", "/") + "\"\n");
    }

    @Test
    void adduserReadsThePasswordFromStdin() throws Exception {
        int exit = run("r0m30\n", "adduser", "juliet@capulet.example", "--config", config.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("created juliet@capulet.example\n");
        assertThat(passwordMatches("juliet", "r0m30")).isTrue();
    }

    @Test
    void configMayAlsoComeBeforeTheSubcommand() throws Exception {
        assertThat(run("pw\n", "--config", config.toString(), "adduser", "juliet@capulet.example")).isZero();
    }

    @Test
    void duplicateUserIsAUserError() {
        run("pw\n", "adduser", "juliet@capulet.example", "--config", config.toString());

        int exit = run("pw\n", "adduser", "juliet@capulet.example", "--config", config.toString());

        assertThat(exit).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).isEqualTo("parley: account juliet@capulet.example already exists\n");
    }

    @Test
    void usersListsOneDomainSorted() {
        for (String jid : new String[] {"nurse@capulet.example", "juliet@capulet.example", "romeo@montague.example"}) {
            run("pw\n", "adduser", jid, "--config", config.toString());
        }

        int exit = run("", "users", "capulet.example", "--config", config.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("juliet@capulet.example\nnurse@capulet.example\n");
    }

    @Test
    void passwdReplacesThePassword() throws Exception {
        run("old\n", "adduser", "juliet@capulet.example", "--config", config.toString());

        int exit = run("new\n", "passwd", "juliet@capulet.example", "--config", config.toString());

        assertThat(exit).isZero();
        assertThat(passwordMatches("juliet", "new")).isTrue();
        assertThat(passwordMatches("juliet", "old")).isFalse();
    }

    @Test
    void passwdAndDeluserOfAnUnknownUserFail() {
        assertThat(run("pw\n", "passwd", "ghost@capulet.example", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).isEqualTo("parley: no account ghost@capulet.example\n");

        assertThat(run("", "deluser", "ghost@capulet.example", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
    }

    @Test
    void deluserRemovesTheAccount() {
        run("pw\n", "adduser", "juliet@capulet.example", "--config", config.toString());

        assertThat(run("", "deluser", "juliet@capulet.example", "--config", config.toString())).isZero();

        assertThat(out.toString()).isEqualTo("deleted juliet@capulet.example\n");
        run("", "users", "capulet.example", "--config", config.toString());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void malformedJidIsExplained() {
        int exit = run("pw\n", "adduser", "juliet@@capulet.example", "--config", config.toString());

        assertThat(exit).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).startsWith("parley: malformed JID 'juliet@@capulet.example'")
                .contains("jid-malformed").doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void fullJidIsRefused() {
        assertThat(run("pw\n", "adduser", "juliet@capulet.example/balcony", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).contains("not a bare JID");
    }

    @Test
    void domainMustBeConfigured() {
        int exit = run("pw\n", "adduser", "tybalt@verona.example", "--config", config.toString());

        assertThat(exit).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).isEqualTo(
                "parley: domain verona.example is not configured (domains: capulet.example, montague.example)\n");
        assertThat(run("", "users", "verona.example", "--config", config.toString())).isEqualTo(ExitCodes.USER_ERROR);
    }

    @Test
    void emptyPasswordOrNoInputIsRefused() {
        assertThat(run("\n", "adduser", "juliet@capulet.example", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).isEqualTo("parley: the password must not be empty\n");

        assertThat(run("", "adduser", "juliet@capulet.example", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).startsWith("parley: no password");
    }

    @Test
    void invalidConfigIsExitCodeOne() throws Exception {
        Files.writeString(config, "c2s: {port: 70000}\n");

        assertThat(run("", "users", "localhost", "--config", config.toString())).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(err.toString()).startsWith("parley: c2s.port: must be between 0 and 65535, got 70000").hasLineCount(1);

        assertThat(run("", "run", "--config", config.toString())).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(run("", "run", "--config", dir.resolve("absent.yml").toString()))
                .isEqualTo(ExitCodes.USAGE_OR_CONFIG);
    }

    @Test
    void usageErrorsAreExitCodeOne() {
        assertThat(run("", "adduser")).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(err.toString()).contains("Missing required parameter");
        assertThat(run("", "frobnicate")).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(run("")).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
    }

    @Test
    void helpAndVersion() {
        assertThat(run("", "--help")).isZero();
        assertThat(out.toString()).contains("adduser", "passwd", "deluser", "users", "disable", "enable", "kick",
                "announce", "motd", "run", "Exit codes:");
        assertThat(run("", "--version")).isZero();
        assertThat(out.toString()).startsWith("Parley ");
        assertThat(run("", "adduser", "--help")).isZero();
        assertThat(out.toString()).contains("--config");
    }

    @Test
    void defaultConfigurationIsUsedWithoutAFile() throws Exception {
        // Built-in defaults host "localhost"; no --config and (in the module directory) no ./parley.yml.
        assertThat(Files.exists(Path.of("parley.yml"))).isFalse();
        assertThat(run("", "users", "capulet.example")).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).isEqualTo("parley: domain capulet.example is not configured (domains: localhost)\n");
    }

    @Test
    void disableAndEnableAnAccountOnTheDatabase() {
        run("pw\n", "adduser", "juliet@capulet.example", "--config", config.toString());
        run("pw\n", "adduser", "nurse@capulet.example", "--config", config.toString());

        assertThat(run("", "disable", "juliet@capulet.example", "--config", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("disabled juliet@capulet.example\n");
        run("", "users", "capulet.example", "--disabled", "--config", config.toString());
        assertThat(out.toString()).isEqualTo("juliet@capulet.example\n");
        run("", "users", "capulet.example", "--count", "--config", config.toString());
        assertThat(out.toString()).isEqualTo("2\n");

        assertThat(run("", "enable", "juliet@capulet.example", "--config", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("enabled juliet@capulet.example\n");
        run("", "users", "capulet.example", "--disabled", "--count", "--config", config.toString());
        assertThat(out.toString()).isEqualTo("0\n");
        assertThat(run("", "disable", "ghost@capulet.example", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
    }

    @Test
    void theMessageOfTheDayOnTheDatabase() {
        assertThat(run("", "motd", "show", "capulet.example", "--config", config.toString())).isZero();
        assertThat(err.toString()).isEqualTo("no message of the day on capulet.example\n");

        assertThat(run("Two households,\nboth alike in dignity.\n", "motd", "set", "capulet.example",
                "--config", config.toString())).isZero();
        run("", "motd", "show", "capulet.example", "--config", config.toString());
        assertThat(out.toString()).isEqualTo("Two households,\nboth alike in dignity.\n");

        run("", "motd", "set", "capulet.example", "In", "fair", "Verona", "--config", config.toString());
        run("", "motd", "show", "capulet.example", "--config", config.toString());
        assertThat(out.toString()).isEqualTo("In fair Verona\n");

        assertThat(run("", "motd", "delete", "capulet.example", "--config", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("deleted the message of the day of capulet.example\n");
        assertThat(run("", "motd", "set", "capulet.example", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
        assertThat(run("", "motd", "capulet.example", "--config", config.toString()))
                .isEqualTo(ExitCodes.USAGE_OR_CONFIG);
    }

    @Test
    void whatNeedsOnlineUsersNeedsTheRunningServer() {
        assertThat(run("", "kick", "juliet@capulet.example", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
        assertThat(err.toString()).isEqualTo("parley: no server runs on this data_dir, so nobody is online to kick\n");
        assertThat(run("", "announce", "capulet.example", "hello", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
        assertThat(run("", "users", "capulet.example", "--online", "--config", config.toString()))
                .isEqualTo(ExitCodes.USER_ERROR);
        assertThat(run("", "users", "capulet.example", "--online", "--disabled", "--config", config.toString()))
                .isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(run("", "kick", "capulet.example", "--config", config.toString())).isEqualTo(ExitCodes.USER_ERROR);
    }

    /**
     * Each subcommand is registered under the name its annotation gives, alone when the first
     * argument names it (what {@code parley run} reads at start, issue 19), all of them otherwise.
     */
    @Test
    void eachSubcommandIsRegisteredAloneUnderItsOwnNameOrAllTogether() {
        var subcommands = ParleyMain.subcommands(null, new ByteArrayInputStream(new byte[0]));
        for (var entry : subcommands.entrySet()) {
            Object command = entry.getValue().get();
            CommandLine alone = command instanceof CommandLine line ? line : new CommandLine(command);
            assertThat(alone.getCommandName()).isEqualTo(entry.getKey());
            assertThat(ParleyMain.commandLine(null, new ByteArrayInputStream(new byte[0]), entry.getKey())
                    .getSubcommands()).containsOnlyKeys(entry.getKey());
        }
        assertThat(ParleyMain.commandLine(null, new ByteArrayInputStream(new byte[0]), "--help").getSubcommands())
                .containsOnlyKeys(subcommands.keySet().toArray(String[]::new));
    }

    private int run(String stdin, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        // As ParleyMain.main does: only the subcommand the first argument names is registered.
        CommandLine commandLine = ParleyMain.commandLine(null,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args.length > 0 ? args[0] : null);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private boolean passwordMatches(String user, String password) throws Exception {
        var loaded = ConfigLoader.load(config);
        try (Database database = Database.open(loaded.storage(), loaded.dataDir())) {
            return new AccountService(new JdbcAccountStore(database.dataSource()))
                    .find("capulet.example", user, ScramHash.SHA_256).orElseThrow().matches(password);
        }
    }
}
