package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.config.StorageConfig;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;

/** {@link JdbcLastActivityStore} on H2 (XEP-0012 §3 data: last logout and status). */
class JdbcLastActivityStoreTest {

    @Test
    void recordsReplacesAndGoesWithTheAccount(@TempDir Path dir) throws Exception {
        try (Database database = Database.open(StorageConfig.defaults(), dir)) {
            JdbcStorage storage = new JdbcStorage(database.dataSource());
            AccountService accounts = new AccountService(storage.accounts());
            EntityBareJid romeo = Jids.parseEntityBare("romeo@parley.test");
            accounts.create(romeo, "secret");
            LastActivityStore store = storage.lastActivity();

            assertThat(store.find(romeo)).isEmpty();
            assertThat(store.recordLogout(romeo, Instant.ofEpochMilli(1000), "Heading Home")).isTrue();
            assertThat(store.recordLogout(romeo, Instant.ofEpochMilli(2000), null)).isTrue();
            assertThat(store.find(romeo)).contains(new LastActivityStore.LastActivity(Instant.ofEpochMilli(2000), null));

            String longStatus = "x".repeat(LastActivityStore.MAX_STATUS_LENGTH + 10);
            store.recordLogout(romeo, Instant.ofEpochMilli(3000), longStatus);
            assertThat(store.find(romeo).orElseThrow().status()).hasSize(LastActivityStore.MAX_STATUS_LENGTH);

            accounts.delete(romeo);
            assertThat(store.find(romeo)).isEmpty();
            assertThat(store.recordLogout(romeo, Instant.ofEpochMilli(4000), null)).isFalse();
            assertThat(store.find(romeo)).isEmpty();
        }
    }
}
