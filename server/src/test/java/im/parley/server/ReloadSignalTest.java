package im.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.PemFiles;
import im.parley.core.tls.SelfSignedCertificates;
import im.parley.server.testing.ParleyProcess;
import im.parley.server.testing.TlsProbe;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP, what {@code systemctl reload parley} sends (the unit's {@code ExecReload}), makes a
 * running {@code parley run} read its certificates again instead of stopping the JVM.
 */
class ReloadSignalTest {

    private static final String DOMAIN = "capulet.example";
    private static final String IP = "127.0.0.1";

    @TempDir
    Path dir;

    @Test
    void sighupReloadsTheCertificatesAndTheServerRunsOn() throws Exception {
        Path certificate = dir.resolve("capulet.crt");
        Path key = dir.resolve("capulet.key");
        PemFiles.write(SelfSignedCertificates.generate(DOMAIN), certificate, key);
        int port = freePort();
        try (ParleyProcess parley = ParleyProcess.start(dir, "domains: [" + DOMAIN + "]\n"
                + "data_dir: \"" + dir.resolve("data") + "\"\n"
                + "c2s: {port: 0}\ndirect_tls: {port: " + port + "}\nhttp: {enabled: false}\n"
                + "tls:\n  watch: false\n  certificates:\n    " + DOMAIN + ": {certificate: \"" + certificate
                + "\", private_key: \"" + key + "\"}\n", List.of())) {
            KeyMaterial renewed = SelfSignedCertificates.generate(DOMAIN);
            PemFiles.write(renewed, certificate, key);

            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(parley.pid())).inheritIO().start();
            assertThat(kill.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(kill.exitValue()).isZero();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                try (TlsProbe probe = TlsProbe.directTls(IP, port, DOMAIN)) {
                    assertThat(probe.certificate()).isEqualTo(renewed.leaf());
                }
            });
            // The new certificate is served from the moment the TLS contexts are replaced; the
            // reload logs each host after that, so the line may come a moment after the probe.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(parley.log()).contains("SIGHUP: reading the certificates again")
                            .contains("Certificate reload: " + DOMAIN + ": new certificate"));
            assertThat(ProcessHandle.of(parley.pid()).map(ProcessHandle::isAlive)).contains(true);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(IP, 0));
            return socket.getLocalPort();
        }
    }
}
