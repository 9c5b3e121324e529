package im.parley.server.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.cluster.ClusterSecrets;
import im.parley.server.config.FederationConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which secret the dialback keys (XEP-0185 §3) come from: the configured one first (XEP-0185 §2
 * prefers a secret that needs no communication), else the cluster's shared one, so that every
 * node confirms every node's keys (XEP-0220 §2.1.2), else one generated into the data directory.
 */
class DialbackSecretChoiceTest {

    private static final String CONFIGURED = "a-configured-dialback-secret-0123456789";

    @TempDir
    Path dataDir;

    /** A cluster's secrets in memory, as its database keeps them. */
    private final Map<String, String> clusterTable = new HashMap<>();
    private final ClusterSecrets cluster = (name, generated) -> clusterTable.computeIfAbsent(name, n -> generated.get());

    @Test
    void theConfiguredSecretWinsInAClusterToo() throws Exception {
        byte[] secret = S2sInitializer.dialbackSecret(FederationConfig.defaults().withDialbackSecret(CONFIGURED),
                dataDir, cluster);

        assertThat(new String(secret, StandardCharsets.UTF_8)).isEqualTo(CONFIGURED);
        assertThat(clusterTable).as("nothing generated into the database").isEmpty();
        assertThat(dataDir.resolve(S2sInitializer.DIALBACK_SECRET_FILE)).doesNotExist();
    }

    @Test
    void everyNodeOfAClusterGetsTheSecretTheClusterHolds() throws Exception {
        byte[] first = S2sInitializer.dialbackSecret(FederationConfig.defaults(), dataDir.resolve("node1"), cluster);
        byte[] second = S2sInitializer.dialbackSecret(FederationConfig.defaults(), dataDir.resolve("node2"), cluster);

        assertThat(second).isEqualTo(first);
        assertThat(new String(first, StandardCharsets.US_ASCII))
                .isEqualTo(clusterTable.get(ClusterSecrets.DIALBACK)).hasSize(64);
        assertThat(dataDir.resolve("node1").resolve(S2sInitializer.DIALBACK_SECRET_FILE)).doesNotExist();
    }

    @Test
    void withoutAClusterTheSecretIsGeneratedOnceIntoTheDataDirectory() throws Exception {
        byte[] first = S2sInitializer.dialbackSecret(FederationConfig.defaults(), dataDir, null);
        byte[] again = S2sInitializer.dialbackSecret(FederationConfig.defaults(), dataDir, null);

        Path file = dataDir.resolve(S2sInitializer.DIALBACK_SECRET_FILE);
        assertThat(again).isEqualTo(first);
        assertThat(Files.readString(file).trim()).isEqualTo(new String(first, StandardCharsets.US_ASCII));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
