package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/** {@link JdbcMotdStore} on H2 and PostgreSQL (XEP-0133 §4.24: each user gets a new message once). */
class JdbcMotdStoreTest extends StoreContract {

    @Test
    void setsReplacesAndDeletesOneMessagePerDomain() throws Exception {
        MotdStore store = new JdbcMotdStore(dataSource());
        DomainBareJid domain = Jids.parseDomain("example.org");

        assertThat(store.find(domain)).isEmpty();
        store.set(domain, "Welcome", 1000);
        store.set(domain, "Maintenance at noon", 2000);
        assertThat(store.find(domain)).contains(new MotdStore.Motd("Maintenance at noon", 2000));
        assertThat(store.find(Jids.parseDomain("example.net"))).isEmpty();

        assertThat(store.delete(domain)).isTrue();
        assertThat(store.delete(domain)).isFalse();
        assertThat(store.find(domain)).isEmpty();
    }

    @Test
    void marksEachVersionSentOncePerAccount() {
        MotdStore store = new JdbcMotdStore(dataSource());
        EntityBareJid juliet = account("juliet@example.org");

        assertThat(store.markSent(juliet, 1000)).isTrue();
        assertThat(store.markSent(juliet, 1000)).isFalse();
        assertThat(store.markSent(juliet, 2000)).isTrue();
        assertThat(store.markSent(juliet, 2000)).isFalse();
        // A deleted account is not sent anything (its row would have no account).
        assertThat(store.markSent(jid("nobody@example.org"), 2000)).isFalse();
    }
}
