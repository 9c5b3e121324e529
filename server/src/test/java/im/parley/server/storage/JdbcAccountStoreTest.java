package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.AccountCredential;
import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/** CRUD of {@link JdbcAccountStore}, on H2 and PostgreSQL. */
class JdbcAccountStoreTest extends StoreContract {
    private JdbcAccountStore store;

    @BeforeEach
    void open() {
        store = new JdbcAccountStore(dataSource());
    }

    @Test
    void createsAnAccountOnceAndFindsItsCredentials() throws Exception {
        EntityBareJid juliet = Jids.parseEntityBare("juliet@example.org");
        List<ScramCredential> credentials = credentials("r0m30");

        assertThat(store.create(juliet, credentials)).isTrue();
        assertThat(store.create(juliet, credentials("other"))).isFalse();

        assertThat(store.exists(juliet)).isTrue();
        for (ScramCredential credential : credentials) {
            // RFC 5802 §5.1: salt, iteration count, StoredKey and ServerKey come back unchanged.
            assertThat(store.find(juliet, credential.hash())).contains(credential);
        }
    }

    @Test
    void aLoginReadsTheCredentialAndWhetherTheAccountIsDisabledTogether() throws Exception {
        // XEP-0133 §4.3/§4.4: the flag a login acts on (RFC 6120 §6.5.1 account-disabled).
        EntityBareJid juliet = Jids.parseEntityBare("juliet@example.org");
        List<ScramCredential> credentials = credentials("r0m30");
        store.create(juliet, credentials);

        assertThat(store.findForLogin(juliet, ScramHash.SHA_256).orElseThrow().disabled()).isFalse();
        assertThat(store.setDisabled(juliet, true)).isTrue();
        assertThat(store.findForLogin(juliet, ScramHash.SHA_256).orElseThrow())
                .isEqualTo(new AccountCredential(store.find(juliet, ScramHash.SHA_256).orElseThrow(), true));
        assertThat(store.setDisabled(juliet, false)).isTrue();
        assertThat(store.findForLogin(juliet, ScramHash.SHA_256).orElseThrow().disabled()).isFalse();
    }

    @Test
    void unknownAccountsHaveNoCredentials() throws Exception {
        EntityBareJid nobody = Jids.parseEntityBare("nobody@example.org");

        assertThat(store.exists(nobody)).isFalse();
        assertThat(store.find(nobody, ScramHash.SHA_256)).isEmpty();
        assertThat(store.updateCredentials(nobody, credentials("x"))).isFalse();
        assertThat(store.delete(nobody)).isFalse();
    }

    @Test
    void updateReplacesEveryCredential() throws Exception {
        EntityBareJid romeo = Jids.parseEntityBare("romeo@example.org");
        store.create(romeo, credentials("old"));
        List<ScramCredential> fresh = credentials("new");

        assertThat(store.updateCredentials(romeo, fresh)).isTrue();

        assertThat(store.find(romeo, ScramHash.SHA_1)).contains(fresh.get(0));
        assertThat(store.find(romeo, ScramHash.SHA_512).orElseThrow().matches("new")).isTrue();
    }

    @Test
    void deleteRemovesTheAccountAndItsCredentials() throws Exception {
        EntityBareJid romeo = Jids.parseEntityBare("romeo@example.org");
        store.create(romeo, credentials("pw"));

        assertThat(store.delete(romeo)).isTrue();

        assertThat(store.exists(romeo)).isFalse();
        assertThat(store.find(romeo, ScramHash.SHA_256)).isEmpty();
        assertThat(store.create(romeo, credentials("again"))).isTrue();
    }

    @Test
    void listsOneDomainSorted() throws Exception {
        for (String jid : List.of("zed@a.example", "amy@a.example", "bob@b.example", "max@a.example")) {
            store.create(Jids.parseEntityBare(jid), credentials("pw"));
        }

        assertThat(store.list(Jids.parseDomain("a.example"))).extracting(Object::toString)
                .containsExactly("amy@a.example", "max@a.example", "zed@a.example");
        assertThat(store.list(Jids.parseDomain("c.example"))).isEmpty();
    }

    @Test
    void reopeningKeepsDataAndDoesNotMigrateAgain() throws Exception {
        EntityBareJid juliet = Jids.parseEntityBare("juliet@example.org");
        store.create(juliet, credentials("pw"));
        int historyBefore = migrationHistoryRows();
        reopenDatabase();
        store = new JdbcAccountStore(dataSource());

        assertThat(store.exists(juliet)).isTrue();
        assertThat(migrationHistoryRows()).isEqualTo(historyBefore);
        try (var connection = dataSource().getConnection();
             var rows = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1' AND \"success\"")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    private int migrationHistoryRows() throws Exception {
        try (var connection = dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\"")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static List<ScramCredential> credentials(String password) {
        return List.of(ScramCredential.create(ScramHash.SHA_1, password, 4096),
                ScramCredential.create(ScramHash.SHA_256, password, 4096),
                ScramCredential.create(ScramHash.SHA_512, password, 4096));
    }
}
