package im.parley.server.storage;

import javax.sql.DataSource;

/** The JDBC implementations of every store, over one data source (H2 embedded or PostgreSQL). */
public final class JdbcStorage implements Storage {

    private final AccountStore accounts;
    private final RosterStore rosters;
    private final LastActivityStore lastActivity;
    private final OfflineStore offline;
    private final VcardStore vcards;
    private final PrivateXmlStore privateXml;
    private final BlockListStore blockLists;
    private final PushStore push;
    private final MotdStore motd;
    private final WelcomeStore welcome;

    public JdbcStorage(DataSource dataSource) {
        this.accounts = new JdbcAccountStore(dataSource);
        this.rosters = new JdbcRosterStore(dataSource);
        this.lastActivity = new JdbcLastActivityStore(dataSource);
        this.offline = new JdbcOfflineStore(dataSource);
        this.vcards = new JdbcVcardStore(dataSource);
        this.privateXml = new JdbcPrivateXmlStore(dataSource);
        this.blockLists = new JdbcBlockListStore(dataSource);
        this.push = new JdbcPushStore(dataSource);
        this.motd = new JdbcMotdStore(dataSource);
        this.welcome = new JdbcWelcomeStore(dataSource);
    }

    @Override
    public AccountStore accounts() {
        return accounts;
    }

    @Override
    public RosterStore rosters() {
        return rosters;
    }

    @Override
    public LastActivityStore lastActivity() {
        return lastActivity;
    }

    @Override
    public OfflineStore offline() {
        return offline;
    }

    @Override
    public VcardStore vcards() {
        return vcards;
    }

    @Override
    public PrivateXmlStore privateXml() {
        return privateXml;
    }

    @Override
    public BlockListStore blockLists() {
        return blockLists;
    }

    @Override
    public PushStore push() {
        return push;
    }

    @Override
    public MotdStore motd() {
        return motd;
    }

    @Override
    public WelcomeStore welcome() {
        return welcome;
    }
}
