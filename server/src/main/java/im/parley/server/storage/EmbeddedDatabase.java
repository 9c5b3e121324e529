package im.parley.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import im.parley.core.files.SecretFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 database, {@code <data_dir>/parley.mv.db}, opened by this process alone: no
 * H2 server, no TCP port (the {@code parley} command reaches a running server through its admin
 * socket instead). Its user is {@value #USER} with a generated password kept in
 * {@code <data_dir>/}{@value #PASSWORD_FILE} (0600), unless {@code storage.username} and
 * {@code storage.password} say otherwise. A database made by an older Parley (user {@code ''}
 * with an empty password, opened in H2's AUTO_SERVER mode) gets the user and a generated password
 * at its first start, its passwordless user is retired, and the lock file AUTO_SERVER left, which
 * named its port and key, is removed.
 */
final class EmbeddedDatabase {

    static final String USER = "PARLEY";
    static final String PASSWORD_FILE = "database.secret";
    private static final String NAME = "parley";
    /** How older versions opened the database: the user H2 made of an empty name, with no password. */
    private static final String LEGACY_USER = "";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private EmbeddedDatabase() {
    }

    /** The JDBC URL of the embedded database in {@code dataDir}. */
    static String url(Path dataDir) {
        OwnerOnlyFilePath.register();
        // QUERY_CACHE_SIZE: H2 keeps 8 parsed statements per connection by default, fewer than a
        // login runs (credentials, roster, offline messages, last activity, ...), so every login
        // parsed its SQL again.
        // WRITE_DELAY=0: by default H2 writes committed changes to the file up to 500 ms later, so
        // a crash (kill -9) lost transactions already reported committed, such as offline messages
        // a client had been told were handled (XEP-0198). Now a commit is in the file (the OS's
        // page cache) when it returns.
        // DB_CLOSE_ON_EXIT=FALSE: H2 closes an open database in a shutdown hook of its own, which
        // ran beside Parley's (SIGTERM) and closed it under the shutdown's last writes: every
        // session's logout failed with "Database is already closed". Parley closes it itself, last.
        return "jdbc:h2:" + OwnerOnlyFilePath.SCHEME + ":" + dataDir.toAbsolutePath().normalize().resolve(NAME)
                + ";QUERY_CACHE_SIZE=64;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /**
     * Opens the database in {@code dataDir}, creating it if needed.
     *
     * @param username the configured user, or null for {@value #USER}
     * @param password the configured password, or null for the generated one
     * @throws DatabaseLockedException if another process has it open
     * @throws StorageException if it cannot be opened otherwise
     */
    static HikariDataSource open(Path dataDir, String username, String password) {
        String url = url(dataDir);
        String user = username != null ? username : USER;
        try {
            String secret = password;
            if (secret == null) {
                secret = generatedPassword(dataDir);
                if (secret == null) {
                    secret = upgradeLegacyUser(url, dataDir, null);
                }
                if (secret == null) {
                    throw new StorageException("the database " + databaseFile(dataDir) + " exists but its password file "
                            + dataDir.resolve(PASSWORD_FILE) + " does not: restore it with the database", null);
                }
            }
            // The checks run on a connection of their own, which stays open until the pool has its
            // first: H2 would close the database in between, and the pool's errors hide H2's codes.
            try (Connection first = connect(url, user, secret, dataDir, password == null)) {
                if (password == null) {
                    retireLegacyUser(first, dataDir);
                }
                HikariDataSource pool = ConnectionPool.open(url, user, secret);
                removeLegacyLockFile(dataDir);
                return pool;
            }
        } catch (SQLException e) {
            throw failure(dataDir, e);
        }
    }

    /** A connection as {@code user}; with the generated password, after upgrading an older database's user if needed. */
    private static Connection connect(String url, String user, String secret, Path dataDir, boolean generated)
            throws SQLException {
        try {
            return direct(url, user, secret).getConnection();
        } catch (SQLException e) {
            if (e.getErrorCode() != ErrorCode.WRONG_USER_OR_PASSWORD || !generated
                    || upgradeLegacyUser(url, dataDir, secret) == null) {
                throw e;
            }
            return direct(url, user, secret).getConnection();
        }
    }

    private static JdbcDataSource direct(String url, String user, String password) {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL(url);
        source.setUser(user);
        source.setPassword(password);
        return source;
    }

    private static Path databaseFile(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve(NAME + ".mv.db");
    }

    /** The password in the password file; a new one for a new database; null if only the database exists. */
    private static String generatedPassword(Path dataDir) {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(file) && Files.exists(databaseFile(dataDir))) {
            return null;
        }
        try {
            return SecretFile.loadOrCreate(file);
        } catch (IOException e) {
            throw new StorageException("cannot read or create the database password " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives an older version's database the user {@value #USER} with the generated password
     * ({@code secret}, or a new one written to the password file before the database changes).
     * The old user {@code ''} stays until {@link #retireLegacyUser} runs: every step leaves a user
     * that can log in, whenever the process dies. Null if the old user cannot log in.
     */
    private static String upgradeLegacyUser(String url, Path dataDir, String secret) throws SQLException {
        try (Connection connection = direct(url, LEGACY_USER, "").getConnection(); Statement statement = connection.createStatement()) {
            String password = requireHex(secret != null ? secret : newPassword(dataDir));
            // The password is Parley's own hex string (SecretFile), so it needs no escaping.
            statement.execute("CREATE USER IF NOT EXISTS " + USER + " PASSWORD '" + password + "' ADMIN");
            statement.execute("ALTER USER " + USER + " SET PASSWORD '" + password + "'");
            statement.execute("ALTER USER " + USER + " ADMIN TRUE");
            LOG.warn("the embedded database in {} had a user without a password (as earlier versions of Parley made "
                    + "it); it now has user {} with the password in {}", dataDir, USER, dataDir.resolve(PASSWORD_FILE));
            return password;
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.WRONG_USER_OR_PASSWORD) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Removes the passwordless user {@code ''} of older versions, or where it owns a schema and
     * cannot be dropped, gives it a random password nobody knows and takes its admin right.
     */
    private static void retireLegacyUser(Connection connection, Path dataDir) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet legacy = statement.executeQuery(
                    "SELECT 1 FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = '" + LEGACY_USER + "'")) {
                if (!legacy.next()) {
                    return;
                }
            }
            try {
                statement.execute("DROP USER \"" + LEGACY_USER + "\"");
            } catch (SQLException e) {
                statement.execute("ALTER USER \"" + LEGACY_USER + "\" SET PASSWORD '" + SecretFile.random() + "'");
                statement.execute("ALTER USER \"" + LEGACY_USER + "\" ADMIN FALSE");
            }
            LOG.info("the passwordless database user of earlier versions is retired from {}", dataDir);
        }
    }

    private static String newPassword(Path dataDir) {
        try {
            return SecretFile.create(dataDir.resolve(PASSWORD_FILE));
        } catch (IOException e) {
            throw new StorageException("cannot write the database password " + dataDir.resolve(PASSWORD_FILE) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String requireHex(String secret) {
        if (!secret.matches("[0-9a-f]+")) {
            throw new StorageException("the database password in " + PASSWORD_FILE + " is not the hex string Parley "
                    + "writes; remove storage.password from the configuration or restore the file", null);
        }
        return secret;
    }

    private static void removeLegacyLockFile(Path dataDir) {
        Path lockFile = dataDir.resolve(NAME + ".lock.db");
        try {
            if (Files.deleteIfExists(lockFile)) {
                LOG.info("removed {}, left by H2's AUTO_SERVER mode of older versions", lockFile);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", lockFile, e.toString());
        }
    }

    private static StorageException failure(Path dataDir, SQLException e) {
        Path file = databaseFile(dataDir);
        if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
            return new DatabaseLockedException("the database " + file + " is in use by another process", file, e);
        }
        if (e.getErrorCode() == ErrorCode.WRONG_USER_OR_PASSWORD) {
            return new StorageException("cannot log in to the database " + file + ": the user or the password ("
                    + dataDir.resolve(PASSWORD_FILE) + " or storage.username/password) does not match it", e);
        }
        return new StorageException("cannot open the database " + file + ": " + e.getMessage(), e);
    }
}
