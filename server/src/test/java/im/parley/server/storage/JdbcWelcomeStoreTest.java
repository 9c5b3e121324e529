package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@link JdbcWelcomeStore} on H2 and PostgreSQL (XEP-0133 §4.27, §4.28): one message per domain,
 * sent once to each new user created while it was set.
 */
class JdbcWelcomeStoreTest extends StoreContract {

    @Test
    void setsReplacesAndDeletesOneMessagePerDomain() throws Exception {
        WelcomeStore store = new JdbcWelcomeStore(dataSource());
        DomainBareJid domain = Jids.parseDomain("parley.test");

        assertThat(store.find(domain)).isEmpty();
        store.set(domain, "Welcome");
        store.set(domain, "Welcome to parley.test");
        assertThat(store.find(domain)).contains("Welcome to parley.test");
        assertThat(store.find(Jids.parseDomain("other.test"))).isEmpty();

        assertThat(store.delete(domain)).isTrue();
        assertThat(store.delete(domain)).isFalse();
        assertThat(store.find(domain)).isEmpty();
    }

    @Test
    void aNewUserCreatedWhileItIsSetIsSentTheMessageInForceOnce() throws Exception {
        WelcomeStore store = new JdbcWelcomeStore(dataSource());
        EntityBareJid before = account("romeo@parley.test");
        store.set(Jids.parseDomain("parley.test"), "Welcome");
        EntityBareJid juliet = account("juliet@parley.test");
        EntityBareJid imported = jid("benvolio@parley.test");
        new JdbcAccountStore(dataSource()).create(imported, List.of(), false);
        EntityBareJid elsewhere = account("mercutio@other.test");
        store.set(Jids.parseDomain("parley.test"), "Welcome, edited");

        assertThat(store.takePending(juliet)).contains("Welcome, edited");
        assertThat(store.takePending(juliet)).isEmpty();
        assertThat(store.takePending(before)).isEmpty();
        assertThat(store.takePending(imported)).as("an imported account is no new user").isEmpty();
        assertThat(store.takePending(elsewhere)).as("its domain has none").isEmpty();
    }

    @Test
    void aDeletedMessageIsSentToNobodyAndTheMarksGoWithTheirAccounts() throws Exception {
        WelcomeStore store = new JdbcWelcomeStore(dataSource());
        DomainBareJid domain = Jids.parseDomain("parley.test");
        store.set(domain, "Welcome");
        EntityBareJid juliet = account("juliet@parley.test");
        EntityBareJid romeo = account("romeo@parley.test");

        store.delete(domain);
        store.set(domain, "Welcome again");
        assertThat(store.takePending(juliet)).isEmpty();

        EntityBareJid tybalt = account("tybalt@parley.test");
        assertThat(new JdbcAccountStore(dataSource()).delete(tybalt)).isTrue();
        account("tybalt@parley.test");
        assertThat(store.takePending(tybalt)).as("the account created again is new again").contains("Welcome again");
        assertThat(store.takePending(romeo)).isEmpty();
    }
}
