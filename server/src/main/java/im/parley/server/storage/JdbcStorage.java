package im.parley.server.storage;

import javax.sql.DataSource;

/** The JDBC implementations of every store, over one data source (H2 embedded or PostgreSQL). */
public final class JdbcStorage implements Storage {

    private final AccountStore accounts;

    public JdbcStorage(DataSource dataSource) {
        this.accounts = new JdbcAccountStore(dataSource);
    }

    @Override
    public AccountStore accounts() {
        return accounts;
    }
}
