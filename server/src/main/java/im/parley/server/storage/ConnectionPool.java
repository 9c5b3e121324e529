package im.parley.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The pool of database connections (HikariCP) every store takes its connections from.
 *
 * <p>Not H2's own {@code JdbcConnectionPool}: it rolls back every connection it takes back, even
 * one whose transaction was committed, and in H2 a rollback empties the session's cache of parsed
 * statements ({@code SessionLocal.rollbackTo}). Every statement was then parsed and planned anew
 * each time it ran: in a login storm a third of the database's time went into H2's parser and
 * planner. HikariCP rolls back only a connection that still has uncommitted work.
 */
final class ConnectionPool {
    /** As many connections as H2's own pool allowed; the blocking executor has fewer threads. */
    static final int MAX_CONNECTIONS = 10;
    private static final int MIN_IDLE = 2;

    private ConnectionPool() {
    }

    /**
     * A started pool for the embedded or another H2 database at {@code url}.
     *
     * @throws StorageException if its first connection fails
     */
    static HikariDataSource open(String url, String username, String password) {
        HikariConfig config = config(url, username, password);
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setMinimumIdle(MIN_IDLE);
        // An embedded H2 database closes when its last connection does (and is opened again, slowly,
        // by the next): connections are never retired for their age, and MIN_IDLE stay open.
        config.setMaxLifetime(0);
        return start(config);
    }

    /**
     * A started pool of at most {@code size} connections to a database server (PostgreSQL), with
     * HikariCP's defaults for idle and aged connections.
     *
     * @throws StorageException if its first connection fails, with the driver's reason
     */
    static HikariDataSource external(String url, String username, String password, int size, long timeoutMillis) {
        HikariConfig config = config(url, username, password);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(timeoutMillis);
        return start(config);
    }

    private static HikariConfig config(String url, String username, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-database");
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        return config;
    }

    private static HikariDataSource start(HikariConfig config) {
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StorageException("cannot connect to the database " + config.getJdbcUrl() + ": "
                    + cause.getMessage(), e);
        }
    }
}
