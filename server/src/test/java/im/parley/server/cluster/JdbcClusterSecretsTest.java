package im.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.storage.ModuleSchemas;
import im.parley.server.storage.StoreContract;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The secrets a cluster's nodes share ({@code cluster_secrets}, on H2 and PostgreSQL): the
 * dialback secret (XEP-0185 §3) is generated once, by whichever node asks first, and every node
 * gets that one after it, also nodes that ask at the same time and nodes that start later.
 */
class JdbcClusterSecretsTest extends StoreContract {

    private JdbcClusterSecrets secrets() {
        return JdbcClusterSecrets.migrate(new ModuleSchemas(dataSource()));
    }

    @Test
    void theFirstSecretAskedForIsStoredAndEveryLaterOneGetsIt() {
        AtomicInteger generated = new AtomicInteger();

        String first = secrets().shared(ClusterSecrets.DIALBACK, () -> "first-" + generated.incrementAndGet());
        String again = secrets().shared(ClusterSecrets.DIALBACK, () -> "second-" + generated.incrementAndGet());
        reopenDatabase();
        String afterRestart = secrets().shared(ClusterSecrets.DIALBACK, () -> "third-" + generated.incrementAndGet());

        assertThat(first).isEqualTo("first-1");
        assertThat(List.of(again, afterRestart)).containsOnly(first);
        assertThat(generated).as("secrets generated").hasValue(1);
    }

    @Test
    void secretsOfDifferentNamesAreKeptApart() {
        JdbcClusterSecrets secrets = secrets();

        secrets.shared(ClusterSecrets.DIALBACK, () -> "dialback secret");

        assertThat(secrets.shared("another", () -> "another secret")).isEqualTo("another secret");
        assertThat(secrets.shared(ClusterSecrets.DIALBACK, () -> "not this one")).isEqualTo("dialback secret");
    }

    /** Nodes that start together: one insert wins, the others read its secret. */
    @Test
    void nodesAskingAtOnceAllGetTheSameSecret() throws Exception {
        int nodes = 8;
        JdbcClusterSecrets secrets = secrets();
        Set<String> answers = ConcurrentHashMap.newKeySet();

        concurrently(nodes, n -> answers.add(secrets.shared(ClusterSecrets.DIALBACK, () -> "node-" + n)));

        assertThat(answers).hasSize(1);
        assertThat(IntStream.range(0, nodes).mapToObj(n -> "node-" + n)).contains(answers.iterator().next());
    }
}
