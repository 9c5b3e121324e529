package im.parley.server.cli;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * What the account subcommands share: the database opened straight from the configuration (the
 * server need not run; with the embedded H2 database it may), and JIDs checked against the
 * configured domains.
 */
final class Accounts implements AutoCloseable {
    private final ParleyConfig config;
    private final Database database;
    private final AccountService service;

    private Accounts(ParleyConfig config, Database database) {
        this.config = config;
        this.database = database;
        this.service = new AccountService(new JdbcAccountStore(database.dataSource()));
    }

    static Accounts open(ParleyConfig config) {
        return new Accounts(config, Database.open(config.storage(), config.dataDir()));
    }

    AccountService service() {
        return service;
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

    ParleyConfig config() {
        return config;
    }

    @Override
    public void close() {
        database.close();
    }
}
