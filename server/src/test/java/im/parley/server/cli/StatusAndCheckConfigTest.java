package im.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.ParleyServer;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.SocketClient;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley status} against a running server in this JVM and with none (exit 3, as an LSB
 * init script's status action), and {@code parley check-config} on good and bad files.
 */
class StatusAndCheckConfigTest {

    @TempDir
    Path dir;
    private StringWriter out;
    private StringWriter err;

    @Test
    void statusWithoutAServerExitsThree() throws Exception {
        Path config = write("domains: [capulet.example]\ndata_dir: \"" + dir.resolve("data") + "\"\n");
        assertThat(run("status", "--config", config.toString())).isEqualTo(3);
        assertThat(out.toString()).startsWith("parley is not running");
    }

    @Test
    void statusAsksTheRunningServer() throws Exception {
        Path config = write("domains: [capulet.example]\ndata_dir: \"" + dir.resolve("data") + "\"\n"
                + "c2s: {port: 0}\ndirect_tls: {enabled: false}\ntls: {starttls_required: false}\n");
        ParleyConfig loaded = ConfigLoader.load(config);
        try (ParleyServer server = new ParleyServer(loaded.withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withHttp(ListenerConfig.on("127.0.0.1", 0)))) {
            server.start();
            server.accounts().create(Jids.parseEntityBare("juliet@capulet.example"), "secret");
            try (SocketClient juliet = new SocketClient("127.0.0.1", server.c2sPort())) {
                juliet.bind("juliet@capulet.example", "secret", "balcony");

                assertThat(run("status", "--config", config.toString())).isZero();
            }
        }
        assertThat(out.toString()).startsWith("parley " + ParleyServer.VERSION + " is running, up ")
                .contains("\nhosts: capulet.example, conference.capulet.example, pubsub.capulet.example, upload.capulet.example\n")
                .contains("\nsessions: 1, tcp 1, websocket 0, bosh 0\n")
                .contains("\ns2s: off\n")
                .containsPattern("\nmemory: \\d+ MB of \\d+ MB heap used\n");
    }

    @Test
    void checkConfigPassesAGoodFile() throws Exception {
        Path config = write("domains: [capulet.example]\ndata_dir: \"" + dir.resolve("data") + "\"\n"
                + "metrics: {enabled: true, token: \"t0ken\"}\n");
        assertThat(run("check-config", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo(config + ": OK\n");
    }

    @Test
    void checkConfigListsEveryProblemWithItsKey() throws Exception {
        Path config = write("domains: [capulet.example]\ndata_dir: \"" + dir.resolve("data") + "\"\n"
                + "c2s: {port: 70000}\n"
                + "colour: blue\n"
                + "http: {enabled: true, address: \"no-such-host.invalid\"}\n"
                + "direct_tls: {port: 5222}\n"
                + "tls:\n  certificates:\n    capulet.example: {certificate: \"" + dir.resolve("missing.pem")
                + "\", private_key: \"" + dir.resolve("missing.key") + "\"}\n");
        assertThat(run("check-config", config.toString())).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(out.toString())
                .contains("error: c2s.port: ")
                .contains("error: colour: unknown key")
                .contains("error: http.address: cannot resolve no-such-host.invalid")
                .contains("error: tls.certificates.capulet.example: ")
                .contains("error: direct_tls.port: 5222 on 127.0.0.1 is also c2s's")
                .endsWith(config + ": 5 problems\n");
    }

    @Test
    void checkConfigFindsTwoListenersOnOnePortAndAnUnusableDataDir() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "");
        Path config = write("domains: [capulet.example]\ndata_dir: \"" + file + "\"\ndirect_tls: {port: 5222}\n");
        assertThat(run("check-config", "--config", config.toString())).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(out.toString())
                .contains("error: data_dir: " + file + " is not a directory")
                .contains("error: direct_tls.port: 5222 on 127.0.0.1 is also c2s's")
                .endsWith(": 2 problems\n");
    }

    @Test
    void checkConfigFindsAModuleWhoseDependencyIsDisabled() throws Exception {
        Path config = write("domains: [capulet.example]\ndata_dir: \"" + dir.resolve("data") + "\"\n"
                + "modules: {disabled: [\"roster\"]}\n");
        assertThat(run("check-config", config.toString())).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(out.toString()).contains("error: modules: module ")
                .contains("needs module roster, which is disabled");
    }

    @Test
    void checkConfigWarnsOfMetricsWithoutATokenOnAPublicListener() throws Exception {
        Path config = write("domains: [capulet.example]\ndata_dir: \"" + dir.resolve("data") + "\"\n"
                + "http: {enabled: true, address: \"0.0.0.0\"}\nmetrics: {enabled: true}\n");
        assertThat(run("check-config", config.toString())).isZero();
        assertThat(out.toString()).contains("warning: metrics.token: ").endsWith(": OK\n");
    }

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("parley.yml"), yaml);
    }

    private int run(String... args) {
        CommandRun run = CommandRun.of(args);
        out = new StringWriter().append(run.out());
        err = new StringWriter().append(run.err());
        return run.exitCode();
    }
}
