package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.files.SecretFile;
import im.parley.core.jid.Jids;
import im.parley.core.sasl.ScramHash;
import im.parley.server.account.AccountService;
import im.parley.server.config.StorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 1: the embedded database has a generated password, no user without one, and
 * files only the server's user can read; a database made by an older version (user '', empty
 * password, AUTO_SERVER lock file) moves to that at its first start and keeps its data.
 */
class EmbeddedDatabaseTest {
    @TempDir
    Path dataDir;

    @Test
    void aNewDatabaseHasTheGeneratedPasswordAndNoUserWithoutOne() throws Exception {
        try (Database database = Database.open(StorageConfig.defaults(), dataDir)) {
            Path passwordFile = dataDir.resolve("database.secret");
            String password = Files.readString(passwordFile).trim();

            assertThat(password).matches("[0-9a-f]{64}");
            assertThat(permissions(passwordFile)).isEqualTo("rw-------");
            assertThat(users(database)).containsExactly("PARLEY");
            assertThat(loginError("", "")).isEqualTo(ErrorCode.WRONG_USER_OR_PASSWORD);
            assertThat(loginError("PARLEY", "")).isEqualTo(ErrorCode.WRONG_USER_OR_PASSWORD);
            assertThat(loginError("PARLEY", password)).isZero();
        }
    }

    @Test
    void everyFileOfTheDatabaseIsForItsOwnerOnlyIncludingTheOnesH2MakesLater() throws Exception {
        try (Database database = Database.open(StorageConfig.defaults(), dataDir)) {
            accounts(database).create(Jids.parseEntityBare("juliet@capulet.example"), "r0m30");
            // A failed login makes H2 start its trace file, parley.trace.db.
            assertThat(loginError("mallory", "x")).isEqualTo(ErrorCode.WRONG_USER_OR_PASSWORD);
        }
        assertThat(dataDir.resolve("parley.trace.db")).exists();
        // Opened and migrated as the server does, then rewritten into a new file on a connection of
        // its own: the pool's connections would fail once the database is shut down under them.
        try (Database database = Database.open(StorageConfig.defaults(), dataDir)) {
            accounts(database).exists(Jids.parseEntityBare("juliet@capulet.example"));
        }
        String password = Files.readString(dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE)).trim();
        try (Connection connection = DriverManager.getConnection(Database.embeddedUrl(dataDir), EmbeddedDatabase.USER,
                password);
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT"); // rewrites the database into a new file
        }

        assertThat(permissions(dataDir)).isEqualTo("rwx------");
        assertThat(filePermissions()).isNotEmpty().allSatisfy(entry -> assertThat(entry).endsWith(" rw-------"));
    }

    @Test
    void aDatabaseMadeByAnOlderVersionMovesToAGeneratedPasswordAndKeepsItsData() throws Exception {
        createTheOldWay();
        Path lockFile = Files.writeString(dataDir.resolve("parley.lock.db"),
                "#FileLock\nid=18c0e2\nmethod=file\nserver=192.0.2.7\\:39051\n");
        Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-r--r--"));

        try (Database database = Database.open(StorageConfig.defaults(), dataDir)) {
            assertThat(accounts(database).find("capulet.example", "juliet", ScramHash.SHA_256).orElseThrow()
                    .matches("r0m30")).isTrue();
            assertThat(users(database)).containsExactly("PARLEY");
            assertThat(loginError("", "")).isEqualTo(ErrorCode.WRONG_USER_OR_PASSWORD);
        }
        assertThat(lockFile).doesNotExist();
        assertThat(filePermissions()).allSatisfy(entry -> assertThat(entry).endsWith(" rw-------"));
        try (Database again = Database.open(StorageConfig.defaults(), dataDir)) {
            assertThat(accounts(again).exists(Jids.parseEntityBare("juliet@capulet.example"))).isTrue();
        }
    }

    @Test
    void anUpgradeInterruptedBeforeTheOldUserIsRetiredIsFinishedAtTheNextStart() throws Exception {
        createTheOldWay();
        String password = SecretFile.create(dataDir.resolve("database.secret"));
        try (Connection connection = DriverManager.getConnection(legacyUrl(), "", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE USER PARLEY PASSWORD '" + password + "' ADMIN");
        }

        try (Database database = Database.open(StorageConfig.defaults(), dataDir)) {
            assertThat(accounts(database).exists(Jids.parseEntityBare("juliet@capulet.example"))).isTrue();
            assertThat(loginError("", "")).isEqualTo(ErrorCode.WRONG_USER_OR_PASSWORD);
        }
    }

    @Test
    void anOldUserThatOwnsASchemaCannotBeDroppedAndLosesItsPasswordAndAdminRightInstead() throws Exception {
        createTheOldWay();
        try (Connection connection = DriverManager.getConnection(legacyUrl(), "", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA REPORTS");
        }

        try (Database database = Database.open(StorageConfig.defaults(), dataDir)) {
            assertThat(users(database)).containsExactlyInAnyOrder("", "PARLEY");
            assertThat(loginError("", "")).isEqualTo(ErrorCode.WRONG_USER_OR_PASSWORD);
            try (Connection connection = database.dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet admin = statement.executeQuery(
                         "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ''")) {
                assertThat(admin.next()).isTrue();
                assertThat(admin.getBoolean(1)).isFalse();
            }
        }
    }

    @Test
    void aDatabaseWhosePasswordFileIsLostIsNotOpenedAndNoOtherPasswordIsWritten() throws Exception {
        Database.open(StorageConfig.defaults(), dataDir).close();
        Files.delete(dataDir.resolve("database.secret"));

        assertThatThrownBy(() -> Database.open(StorageConfig.defaults(), dataDir))
                .isInstanceOf(StorageException.class).hasMessageContaining("database.secret does not");
        assertThat(dataDir.resolve("database.secret")).doesNotExist();
    }

    @Test
    void configuredCredentialsTakeThePlaceOfTheGeneratedPassword() throws Exception {
        try (Database database = Database.open(new StorageConfig(null, "warden", "a-long-passphrase"), dataDir)) {
            assertThat(users(database)).containsExactly("WARDEN");
        }
        assertThat(dataDir.resolve("database.secret")).doesNotExist();
    }

    /** As Parley did before: AUTO_SERVER, user '' with an empty password, the schema migrated, one account. */
    private void createTheOldWay() throws Exception {
        JdbcConnectionPool legacy = JdbcConnectionPool.create(legacyUrl() + ";AUTO_SERVER=TRUE", "", "");
        try {
            Flyway.configure().dataSource(legacy).locations("classpath:db/migration").load().migrate();
            new AccountService(new JdbcAccountStore(legacy)).create(Jids.parseEntityBare("juliet@capulet.example"), "r0m30");
        } finally {
            legacy.dispose();
        }
    }

    private String legacyUrl() {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley");
    }

    /** The H2 error code of a login to the database as it is now, or 0 if the login works. */
    private int loginError(String user, String password) {
        try (Connection connection = DriverManager.getConnection(Database.embeddedUrl(dataDir), user, password)) {
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
    }

    private static List<String> users(Database database) throws SQLException {
        List<String> users = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT USER_NAME FROM INFORMATION_SCHEMA.USERS")) {
            while (rows.next()) {
                users.add(rows.getString(1));
            }
        }
        return users;
    }

    private static AccountService accounts(Database database) {
        return new AccountService(new JdbcAccountStore(database.dataSource()));
    }

    private List<String> filePermissions() throws IOException {
        List<String> entries = new ArrayList<>();
        try (var files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                entries.add(file.getFileName() + " " + permissions(file));
            }
        }
        return entries;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
