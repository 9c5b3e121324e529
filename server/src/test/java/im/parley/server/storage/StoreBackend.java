package im.parley.server.storage;

import im.parley.server.config.StorageConfig;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * The databases every store contract runs on (STYLE.md 11: one suite per backend): the embedded
 * H2 database a server uses by default, and PostgreSQL, the production database, in a
 * throw-away cluster ({@link PostgresCluster}). Each test gets a new, migrated database.
 */
enum StoreBackend {
    H2("H2") {
        @Override
        TestDatabase open(Path dataDir) {
            return new TestDatabase(() -> Database.open(StorageConfig.defaults(), dataDir), () -> { });
        }
    },
    POSTGRESQL("PostgreSQL") {
        @Override
        TestDatabase open(Path dataDir) throws SQLException {
            PostgresCluster cluster = PostgresCluster.shared();
            String url = cluster.createDatabase();
            StorageConfig config = new StorageConfig(url, PostgresCluster.ROLE, cluster.rolePassword()).withPoolSize(4);
            return new TestDatabase(() -> Database.open(config, dataDir), () -> cluster.dropDatabase(url));
        }
    };

    /** The name the JDBC driver gives its database ({@code DatabaseMetaData.getDatabaseProductName}). */
    final String productName;

    StoreBackend(String productName) {
        this.productName = productName;
    }

    /** A new database with the core's migrations applied, for one test. */
    abstract TestDatabase open(Path dataDir) throws SQLException;

    /** A test's database, which can be closed and opened again, and thrown away at the end. */
    static final class TestDatabase implements AutoCloseable {

        @FunctionalInterface
        interface Dropper {
            void drop() throws SQLException;
        }

        private final Supplier<Database> opener;
        private final Dropper dropper;
        private Database database;

        TestDatabase(Supplier<Database> opener, Dropper dropper) {
            this.opener = opener;
            this.dropper = dropper;
            this.database = opener.get();
        }

        Database database() {
            return database;
        }

        /** Closes the database (the pool) and opens it again, as a restarted server would. */
        void reopen() {
            database.close();
            database = opener.get();
        }

        @Override
        public void close() throws SQLException {
            database.close();
            dropper.drop();
        }
    }
}
