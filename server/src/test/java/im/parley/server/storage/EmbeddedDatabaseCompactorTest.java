package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.server.config.StorageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of issue 17 item 7 found the embedded database growing for as long as the server ran:
 * every commit is a chunk of the file ({@code WRITE_DELAY=0}), and with no background writer
 * nothing rewrote the chunks later commits had left almost empty. The compactor does.
 */
class EmbeddedDatabaseCompactorTest {
    @TempDir
    Path dataDir;

    @Test
    void chunksLeftMostlyEmptyByLaterCommitsAreRewritten() throws Exception {
        try (Database database = Database.open(StorageConfig.defaults(), dataDir);
             Connection connection = database.dataSource().getConnection();
             EmbeddedDatabaseCompactor compactor = EmbeddedDatabaseCompactor.start(database.dataSource())) {
            // H2 rewrites only chunks older than its retention time (45 s): none here, so the test need not wait.
            execute(connection, "SET RETENTION_TIME 0");
            MVStore store = EmbeddedDatabaseCompactor.mvStore(connection);
            queueAndDeliver(connection, 600);
            int before = store.getFileStore().getChunksFillRate();
            long chunksBefore = chunks(store);

            assertThat(compactor.compactNow()).isTrue();
            // The next commit stores the rewritten pages; the chunks they came from are dropped when
            // the one after it is stored. (H2's own pool rolled back every connection it took back,
            // the compactor's too, and that rollback was a commit of the store.)
            execute(connection, "INSERT INTO queued(owner, body) VALUES ('user1', 'next')");
            execute(connection, "INSERT INTO queued(owner, body) VALUES ('user2', 'next')");

            assertThat(before).isLessThan(EmbeddedDatabaseCompactor.TARGET_FILL_RATE / 2);
            assertThat(store.getFileStore().getChunksFillRate()).isGreaterThanOrEqualTo(EmbeddedDatabaseCompactor.TARGET_FILL_RATE);
            assertThat(chunks(store)).isLessThan(chunksBefore / 10);
        }
    }

    @Test
    void theCompactorRunsWhileTheDatabaseIsOpenAndStopsWithIt() {
        // The compactor of a database an earlier test closed may still be dying (as below): it
        // counted here once (2 instead of 1).
        await().atMost(Duration.ofSeconds(10)).until(() -> compactorThreads() == 0);
        try (Database database = Database.open(StorageConfig.defaults(), dataDir)) {
            assertThat(compactorThreads()).isEqualTo(1);
        }
        // The executor has ended when close() returns; its thread may take a moment more to die.
        await().atMost(Duration.ofSeconds(10)).until(() -> compactorThreads() == 0);
    }

    /** Offline storage's pattern: a row per message, deleted when its owner comes online. */
    private static void queueAndDeliver(Connection connection, int messages) throws SQLException {
        execute(connection, "CREATE TABLE queued(id BIGINT AUTO_INCREMENT PRIMARY KEY, owner VARCHAR(64), body VARCHAR(1024))");
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO queued(owner, body) VALUES (?, ?)");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM queued WHERE owner = ?")) {
            for (int i = 0; i < messages; i++) {
                insert.setString(1, "user" + i % 50);
                insert.setString(2, "x".repeat(300));
                insert.executeUpdate();
                if (i % 5 == 4) {
                    delete.setString(1, "user" + (i + 25) % 50);
                    delete.executeUpdate();
                }
            }
        }
    }

    private static long chunks(MVStore store) {
        return store.getFileStore().getLayoutMap().keySet().stream().filter(key -> key.startsWith("chunk.")).count();
    }

    private static long compactorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("parley-database-compactor") && thread.isAlive()).count();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
