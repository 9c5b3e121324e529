package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.account.AccountService;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@link JdbcLastActivityStore} on H2 and PostgreSQL (XEP-0012 §3 data: last logout and status;
 * XEP-0133 §4.9: last login).
 */
class JdbcLastActivityStoreTest extends StoreContract {

    @Test
    void recordsReplacesAndGoesWithTheAccount() throws Exception {
        JdbcStorage storage = new JdbcStorage(dataSource());
        AccountService accounts = new AccountService(storage.accounts());
        EntityBareJid romeo = jid("romeo@parley.test");
        accounts.create(romeo, "secret");
        LastActivityStore store = storage.lastActivity();

        assertThat(store.find(romeo)).isEmpty();
        assertThat(store.recordLogout(romeo, Instant.ofEpochMilli(1000), "Heading Home")).isTrue();
        assertThat(store.recordLogout(romeo, Instant.ofEpochMilli(2000), null)).isTrue();
        assertThat(store.find(romeo)).contains(new LastActivityStore.LastActivity(Instant.ofEpochMilli(2000), null));

        String longStatus = "x".repeat(LastActivityStore.MAX_STATUS_LENGTH + 10);
        store.recordLogout(romeo, Instant.ofEpochMilli(3000), longStatus);
        assertThat(store.find(romeo).orElseThrow().status()).hasSize(LastActivityStore.MAX_STATUS_LENGTH);

        // The row goes with the account; a logout of a deleted account is not recorded.
        accounts.delete(romeo);
        assertThat(store.find(romeo)).isEmpty();
        assertThat(store.recordLogout(romeo, Instant.ofEpochMilli(4000), null)).isFalse();
        assertThat(store.find(romeo)).isEmpty();
    }

    @Test
    void recordsTheLastLoginApartFromTheLogout_xep0133_4_9() {
        LastActivityStore store = new JdbcStorage(dataSource()).lastActivity();
        EntityBareJid romeo = account("romeo@parley.test");

        assertThat(store.lastLogin(romeo)).isEmpty();
        assertThat(store.recordLogin(romeo, Instant.ofEpochMilli(1000))).isTrue();
        assertThat(store.recordLogin(romeo, Instant.ofEpochMilli(2000))).isTrue();
        store.recordLogout(romeo, Instant.ofEpochMilli(3000), null);
        assertThat(store.lastLogin(romeo)).contains(Instant.ofEpochMilli(2000));
        assertThat(store.find(romeo).orElseThrow().logoutAt()).isEqualTo(Instant.ofEpochMilli(3000));

        // The login of an account that does not exist (deleted meanwhile) is not recorded.
        assertThat(store.recordLogin(jid("nobody@parley.test"), Instant.ofEpochMilli(4000))).isFalse();
        assertThat(store.lastLogin(jid("nobody@parley.test"))).isEmpty();
    }

    @Test
    void recordsManyLoginsInOneWriteAndSkipsAccountsThatAreGone() {
        LastActivityStore store = new JdbcStorage(dataSource()).lastActivity();
        EntityBareJid romeo = account("romeo@parley.test");
        EntityBareJid juliet = account("juliet@parley.test");
        store.recordLogin(romeo, Instant.ofEpochMilli(1000));

        store.recordLogins(java.util.Map.of(romeo, Instant.ofEpochMilli(5000), juliet, Instant.ofEpochMilli(6000),
                jid("nobody@parley.test"), Instant.ofEpochMilli(7000)));

        assertThat(store.lastLogin(romeo)).contains(Instant.ofEpochMilli(5000));
        assertThat(store.lastLogin(juliet)).contains(Instant.ofEpochMilli(6000));
        assertThat(store.lastLogin(jid("nobody@parley.test"))).isEmpty();
    }
}
