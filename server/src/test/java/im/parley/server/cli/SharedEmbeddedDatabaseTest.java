package im.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley adduser} works while a running server holds the embedded H2 database: the
 * default URL uses H2's AUTO_SERVER mode, so a second process connects to the first over
 * loopback instead of failing on the file lock. The CLI runs in a real second JVM here.
 */
class SharedEmbeddedDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void adduserInAnotherProcessWhileTheDatabaseIsOpen() throws Exception {
        Path dataDir = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("parley.yml"),
                "data_dir: \"" + dataDir.toString().replace("\\", "/") + "\"\n");
        ParleyConfig defaults = ParleyConfig.defaults();

        try (Database serverSide = Database.open(defaults.storage(), dataDir)) {
            AccountService accounts = new AccountService(new JdbcAccountStore(serverSide.dataSource()));

            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ParleyMain.class.getName(),
                    "adduser", "juliet@localhost", "--config", config.toString())
                    .redirectErrorStream(true)
                    .start();
            try (OutputStream stdin = cli.getOutputStream()) {
                stdin.write("r0m30\n".getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(cli.exitValue()).as(output).isZero();
            assertThat(output).contains("created juliet@localhost");
            assertThat(accounts.exists(Jids.parseEntityBare("juliet@localhost"))).isTrue();
        }
    }
}
