package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/** {@link JdbcPrivateXmlStore} on H2 and PostgreSQL (XEP-0049 §2: one fragment per qualified name). */
class JdbcPrivateXmlStoreTest extends StoreContract {

    @Test
    void keepsOneFragmentPerQualifiedNameAndAccount() {
        PrivateXmlStore store = new JdbcPrivateXmlStore(dataSource());
        EntityBareJid juliet = account("juliet@example.org");
        EntityBareJid romeo = account("romeo@example.org");

        store.save(juliet, "storage:bookmarks", "storage", "<storage xmlns='storage:bookmarks'/>");
        store.save(juliet, "storage:bookmarks", "storage", "<storage xmlns='storage:bookmarks'><url/></storage>");
        store.save(juliet, "storage:rosternotes", "storage", "<storage xmlns='storage:rosternotes'/>");
        store.save(romeo, "storage:bookmarks", "storage", "<storage xmlns='storage:bookmarks'><conference/></storage>");

        assertThat(store.load(juliet, "storage:bookmarks", "storage"))
                .contains("<storage xmlns='storage:bookmarks'><url/></storage>");
        assertThat(store.load(juliet, "storage:rosternotes", "storage")).contains("<storage xmlns='storage:rosternotes'/>");
        assertThat(store.load(juliet, "storage:bookmarks", "other")).isEmpty();
        // Names are compared exactly, as XML compares them: no case folding on either database.
        assertThat(store.load(juliet, "STORAGE:bookmarks", "storage")).isEmpty();
        assertThat(store.load(romeo, "storage:bookmarks", "storage"))
                .contains("<storage xmlns='storage:bookmarks'><conference/></storage>");

        assertThat(store.list(juliet)).containsExactlyInAnyOrder("<storage xmlns='storage:bookmarks'><url/></storage>",
                "<storage xmlns='storage:rosternotes'/>");

        new JdbcAccountStore(dataSource()).delete(juliet);
        assertThat(store.load(juliet, "storage:bookmarks", "storage")).isEmpty();
    }
}
