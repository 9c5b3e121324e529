package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/** {@link JdbcVcardStore} on H2 and PostgreSQL (XEP-0054 §3.2: a set replaces the whole vCard). */
class JdbcVcardStoreTest extends StoreContract {

    @Test
    void savesReplacesAndGoesWithTheAccount() {
        VcardStore store = new JdbcVcardStore(dataSource());
        EntityBareJid juliet = account("juliet@example.org");
        String photo = "<vCard xmlns='vcard-temp'><PHOTO><BINVAL>" + "QUFB".repeat(50_000) + "</BINVAL></PHOTO></vCard>";

        assertThat(store.load(juliet)).isEmpty();
        store.save(juliet, "<vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN></vCard>");
        store.save(juliet, photo);
        assertThat(store.load(juliet)).contains(photo);

        new JdbcAccountStore(dataSource()).delete(juliet);
        assertThat(store.load(juliet)).isEmpty();
    }
}
