package im.parley.server.cli;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.admin.AccountAdmin;
import im.parley.server.admin.AdminClient;
import im.parley.server.admin.LocalAccountAdmin;
import im.parley.server.config.ParleyConfig;
import im.parley.server.host.HostRegistry;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.storage.Database;
import im.parley.server.storage.DatabaseLockedException;
import im.parley.server.storage.JdbcAccountStore;
import im.parley.server.storage.JdbcMotdStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * What the account subcommands share: the accounts, through the running server's admin socket
 * when a server answers on it, else on the database opened straight from the configuration; and
 * JIDs checked against the configured domains.
 */
final class Accounts implements AutoCloseable {
    private final AccountAdmin admin;
    private final Database database;

    private Accounts(AccountAdmin admin, Database database) {
        this.admin = admin;
        this.database = database;
    }

    static Accounts open(ParleyConfig config) throws UserErrorException {
        Optional<AdminClient> server = AdminClient.connect(config.dataDir());
        if (server.isPresent()) {
            return new Accounts(server.get(), null);
        }
        Database database = openDatabase(config);
        AccountService service = new AccountService(new JdbcAccountStore(database.dataSource()));
        // No server runs, so no session can be open: nothing to end.
        return new Accounts(new LocalAccountAdmin(service, new JdbcMotdStore(database.dataSource()),
                new InMemoryRouteTable(new HostRegistry(java.util.Set.of())), Clock.systemUTC()), database);
    }

    /**
     * The database itself, for commands that work on it while no server runs (the caller has
     * made sure of that: an embedded database is locked by its server anyway).
     */
    static Database openDatabase(ParleyConfig config) throws UserErrorException {
        if (config.storage().jdbcUrl() == null) {
            requireDataDirOwner(config.dataDir());
        }
        try {
            return Database.open(config.storage(), config.dataDir());
        } catch (DatabaseLockedException e) {
            throw new DatabaseLockedException("the database " + e.file() + " is in use by another process, and no "
                    + "server answers on " + AdminClient.socketFile(config.dataDir()) + ": wait for a server that is "
                    + "starting or stopping, or find the process that holds the file (fuser " + e.file() + ")",
                    e.file(), e);
        }
    }

    /** For what must not run beside a server: import and export, which work on the database directly. */
    static void requireNoServer(ParleyConfig config, String what) throws UserErrorException {
        if (AdminClient.connect(config.dataDir()).isPresent()) {
            throw new UserErrorException("a server runs on this data_dir; stop it first: " + what
                    + " works on the database directly");
        }
    }

    AccountAdmin admin() {
        return admin;
    }

    /**
     * True when the operations go through a running server; false when they work on the database
     * itself, where nobody is online.
     */
    boolean serverRuns() {
        return database == null;
    }

    /** For what only a running server can do: reach online users. */
    void requireServer(String what) throws UserErrorException {
        if (!serverRuns()) {
            throw new UserErrorException("no server runs on this data_dir, so nobody is online to " + what);
        }
    }

    /** Parses a bare JID of a hosted domain (RFC 7622); anything else is the user's mistake. */
    static EntityBareJid hostedJid(String text, ParleyConfig config) throws UserErrorException {
        EntityBareJid jid;
        try {
            jid = Jids.parseEntityBare(text);
        } catch (JidMalformedException e) {
            throw new UserErrorException(e.getMessage() + " (jid-malformed: expected user@domain, RFC 7622)", e);
        }
        requireHosted(jid.asDomainBareJid(), config);
        return jid;
    }

    static DomainBareJid hostedDomain(String text, ParleyConfig config) throws UserErrorException {
        DomainBareJid domain;
        try {
            domain = Jids.parseDomain(text);
        } catch (JidMalformedException e) {
            throw new UserErrorException(e.getMessage() + " (jid-malformed: expected a domain, RFC 7622 §3.2)", e);
        }
        requireHosted(domain, config);
        return domain;
    }

    private static void requireHosted(DomainBareJid domain, ParleyConfig config) throws UserErrorException {
        if (!config.domains().contains(domain.toString())) {
            throw new UserErrorException("domain " + domain + " is not configured (domains: "
                    + String.join(", ", config.domains()) + ")");
        }
    }

    /**
     * Files the command creates in the data directory are 0600: made by another user (root, say)
     * the server could not read them at its next start. So the command runs as the directory's owner.
     */
    private static void requireDataDirOwner(Path dataDir) throws UserErrorException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try {
            UserPrincipal owner = Files.getOwner(dataDir);
            UserPrincipal self = dataDir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            if (!owner.equals(self)) {
                throw new UserErrorException("data_dir " + dataDir + " belongs to user " + owner.getName()
                        + "; run the parley command as that user (e.g. sudo -u " + owner.getName()
                        + " parley ...), so that the server can still read what it writes");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // The owner cannot be told here: let the database's own errors speak.
        }
    }

    @Override
    public void close() {
        if (database != null) {
            database.close();
        }
    }
}
