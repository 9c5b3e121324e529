package im.parley.server.storage;

import javax.sql.DataSource;

/** The JDBC implementations of every store, over one data source (H2 embedded or PostgreSQL). */
public final class JdbcStorage implements Storage {

    private final AccountStore accounts;
    private final LastActivityStore lastActivity;

    public JdbcStorage(DataSource dataSource) {
        this.accounts = new JdbcAccountStore(dataSource);
        this.lastActivity = new JdbcLastActivityStore(dataSource);
    }

    @Override
    public AccountStore accounts() {
        return accounts;
    }

    @Override
    public LastActivityStore lastActivity() {
        return lastActivity;
    }
}
