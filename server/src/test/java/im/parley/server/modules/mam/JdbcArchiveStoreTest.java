package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.storage.JdbcAccountStore;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@link JdbcArchiveStore}, the archive on PostgreSQL, on H2 and PostgreSQL: the
 * {@link ArchiveIndexContract}, the account's archive going with it by the database's ON DELETE
 * CASCADE; and {@link JdbcArchivePrefsStore}, the preferences everywhere (XEP-0441 §3).
 */
class JdbcArchiveStoreTest extends ArchiveIndexContract {

    private DataSource schema;

    @Override
    protected ArchiveIndex open(DataSource schema) {
        this.schema = schema;
        return new JdbcArchiveStore(schema);
    }

    @Override
    protected void deleteAccount(EntityBareJid account) {
        new JdbcAccountStore(dataSource()).delete(account);
    }

    @Test
    void replacesPreferencesAndReadsThemPerDomain() {
        JdbcArchivePrefsStore prefsStore = new JdbcArchivePrefsStore(schema);
        ArchivePrefs prefs = new ArchivePrefs(ArchiveMode.ROSTER, Set.of(romeo.asBareJid()), Set.of(nurse.asBareJid()));

        assertThat(prefsStore.setPrefs(juliet, ArchivePrefs.of(ArchiveMode.ALWAYS))).isTrue();
        assertThat(prefsStore.setPrefs(juliet, prefs)).isTrue();
        assertThat(prefsStore.setPrefs(jid("ghost@example.org"), prefs)).isFalse();

        assertThat(prefsStore.allPrefs(juliet.asDomainBareJid())).containsExactly(Map.entry(juliet, prefs));
    }
}
