package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.server.config.StorageConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening PostgreSQL as configured (docs/operations.md "PostgreSQL"): password file, pool, failures. */
class PostgresDatabaseTest {
    @TempDir
    Path dataDir;

    @Test
    void logsInWithThePasswordFileThroughAPoolOfTheConfiguredSize() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        String url = cluster.createDatabase();
        Path passwordFile = dataDir.resolve("db.password");
        Files.writeString(passwordFile, cluster.rolePassword() + "\nsecond line ignored\n");
        StorageConfig config = new StorageConfig(url, PostgresCluster.ROLE, null).withPasswordFile(passwordFile)
                .withPoolSize(3);
        try (Database database = Database.open(config, dataDir);
             Connection connection = database.dataSource().getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(database.dataSource()).isInstanceOfSatisfying(com.zaxxer.hikari.HikariDataSource.class,
                    pool -> assertThat(pool.getMaximumPoolSize()).isEqualTo(3));
        } finally {
            cluster.dropDatabase(url);
        }
        // Nothing is written to the data directory for an external database: no embedded files.
        assertThat(dataDir.resolve("parley.mv.db")).doesNotExist();
    }

    @Test
    void aWrongPasswordIsAStartFailureNamingTheDatabase() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        String url = cluster.createDatabase();
        try {
            assertThatThrownBy(() -> Database.open(new StorageConfig(url, PostgresCluster.ROLE, "wrong"), dataDir))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(url)
                    .hasMessageContaining("password authentication failed");
        } finally {
            cluster.dropDatabase(url);
        }
    }

    @Test
    void anUnreachableDatabaseFailsWithinTheConnectionTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        StorageConfig config = new StorageConfig("jdbc:postgresql://127.0.0.1:" + closedPort + "/parley", "parley", "pw")
                .withConnectionTimeout(Duration.ofSeconds(1));

        long start = System.nanoTime();
        assertThatThrownBy(() -> Database.open(config, dataDir)).isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot connect to the database");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aPasswordAndAPasswordFileTogetherAreRefused() {
        StorageConfig config = new StorageConfig("jdbc:postgresql://127.0.0.1:1/parley", "parley", "pw")
                .withPasswordFile(dataDir.resolve("db.password"));

        assertThatThrownBy(() -> Database.open(config, dataDir)).isInstanceOf(StorageException.class)
                .hasMessageContaining("storage.password and storage.password_file");
    }
}
