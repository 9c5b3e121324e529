package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/** {@link JdbcBlockListStore} on H2 and PostgreSQL (XEP-0191 §3.3, §3.4, §3.5: block, unblock, unblock all). */
class JdbcBlockListStoreTest extends StoreContract {

    @Test
    void addsEachJidOnceRemovesAndClears() throws Exception {
        BlockListStore store = new JdbcBlockListStore(dataSource());
        EntityBareJid juliet = account("juliet@example.org");
        Jid romeo = Jids.parse("romeo@example.net");
        Jid tybalt = Jids.parse("tybalt@example.net/sword");
        Jid verona = Jids.parse("verona.example");

        store.add(juliet, List.of(romeo, tybalt));
        store.add(juliet, List.of(romeo, verona, verona));
        assertThat(store.load(juliet)).containsExactlyInAnyOrder(romeo, tybalt, verona);

        store.remove(juliet, List.of(tybalt, Jids.parse("nobody@example.net")));
        assertThat(store.load(juliet)).containsExactlyInAnyOrder(romeo, verona);

        store.clear(juliet);
        assertThat(store.load(juliet)).isEmpty();
    }

    @Test
    void theListGoesWithTheAccount() throws Exception {
        BlockListStore store = new JdbcBlockListStore(dataSource());
        EntityBareJid juliet = account("juliet@example.org");
        store.add(juliet, List.of(Jids.parse("romeo@example.net")));

        new JdbcAccountStore(dataSource()).delete(juliet);

        assertThat(store.load(juliet)).isEmpty();
    }
}
