package im.parley.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.ScramHash;
import im.parley.server.config.StorageConfig;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;

class AccountServiceTest {
    @TempDir
    Path dataDir;
    private Database database;
    private AccountService accounts;

    @BeforeEach
    void open() {
        database = Database.open(StorageConfig.defaults(), dataDir);
        accounts = new AccountService(new JdbcAccountStore(database.dataSource()));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void createStoresACredentialPerScramHash() throws Exception {
        accounts.create(jid("juliet@capulet.example"), "r0m30");

        for (ScramHash hash : ScramHash.values()) {
            assertThat(accounts.find("capulet.example", "juliet", hash)).hasValueSatisfying(credential -> {
                assertThat(credential.matches("r0m30")).isTrue();
                // RFC 7677 §4: at least 4096 iterations.
                assertThat(credential.iterations()).isGreaterThanOrEqualTo(4096);
            });
        }
    }

    @Test
    void duplicateAccountIsRefused() throws Exception {
        accounts.create(jid("juliet@capulet.example"), "r0m30");

        assertThatThrownBy(() -> accounts.create(jid("juliet@capulet.example"), "other"))
                .isInstanceOf(AccountExistsException.class)
                .hasMessageContaining("juliet@capulet.example");
    }

    @Test
    void changePasswordRetiresTheOldOne() throws Exception {
        accounts.create(jid("juliet@capulet.example"), "old password");

        accounts.changePassword(jid("juliet@capulet.example"), "new password");

        var credential = accounts.find("capulet.example", "juliet", ScramHash.SHA_256).orElseThrow();
        assertThat(credential.matches("old password")).isFalse();
        assertThat(credential.matches("new password")).isTrue();
    }

    @Test
    void changingOrDeletingAnUnknownAccountFails() {
        assertThatThrownBy(() -> accounts.changePassword(jid("ghost@capulet.example"), "pw"))
                .isInstanceOf(NoSuchAccountException.class);
        assertThatThrownBy(() -> accounts.delete(jid("ghost@capulet.example")))
                .isInstanceOf(NoSuchAccountException.class);
    }

    @Test
    void deleteAndListAcrossTwoDomains() throws Exception {
        accounts.create(jid("juliet@capulet.example"), "pw");
        accounts.create(jid("nurse@capulet.example"), "pw");
        accounts.create(jid("romeo@montague.example"), "pw");

        accounts.delete(jid("nurse@capulet.example"));

        assertThat(accounts.list(Jids.parseDomain("capulet.example"))).containsExactly(jid("juliet@capulet.example"));
        assertThat(accounts.list(Jids.parseDomain("montague.example"))).containsExactly(jid("romeo@montague.example"));
        assertThat(accounts.exists(jid("nurse@capulet.example"))).isFalse();
    }

    @Test
    void findIsEmptyForUnknownOrInvalidUsernames() throws Exception {
        accounts.create(jid("juliet@capulet.example"), "pw");

        assertThat(accounts.find("capulet.example", "romeo", ScramHash.SHA_1)).isEmpty();
        assertThat(accounts.find("montague.example", "juliet", ScramHash.SHA_1)).isEmpty();
        // RFC 7622 §3.3.1: '@' and '/' may not appear in a localpart.
        assertThat(accounts.find("capulet.example", "juliet@capulet.example", ScramHash.SHA_1)).isEmpty();
        assertThat(accounts.find("capulet.example", "a/b", ScramHash.SHA_1)).isEmpty();
        assertThat(accounts.find("capulet.example", "", ScramHash.SHA_1)).isEmpty();
    }

    @Test
    void findPreparesTheUsername() throws Exception {
        accounts.create(jid("juliet@capulet.example"), "pw");

        // RFC 7622 §3.3: the localpart is case-mapped (UsernameCaseMapped profile).
        assertThat(accounts.find("capulet.example", "Juliet", ScramHash.SHA_1)).isPresent();
    }

    @Test
    void emptyPasswordIsRefusedClearly() {
        assertThatThrownBy(() -> accounts.create(jid("juliet@capulet.example"), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the password must not be empty");
    }

    @Test
    void passwordIsPreparedWithOpaqueString() throws Exception {
        // RFC 8265 §4.2.2: non-ASCII spaces map to U+0020 and the result is NFC-normalized.
        accounts.create(jid("juliet@capulet.example"), "a\u00A0e\u0301");

        var credential = accounts.find("capulet.example", "juliet", ScramHash.SHA_256).orElseThrow();
        assertThat(credential.matches("a \u00E9")).isTrue();
    }

    private static EntityBareJid jid(String jid) {
        try {
            return Jids.parseEntityBare(jid);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
