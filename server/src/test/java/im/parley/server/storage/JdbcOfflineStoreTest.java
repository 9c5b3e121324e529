package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/** {@link JdbcOfflineStore} on H2 and PostgreSQL (XEP-0160 §2: stored in order, delivered, then deleted). */
class JdbcOfflineStoreTest extends StoreContract {
    private OfflineStore store;
    private EntityBareJid juliet;

    @BeforeEach
    void open() {
        store = new JdbcOfflineStore(dataSource());
        juliet = account("juliet@example.org");
    }

    @Test
    void keepsMessagesInArrivalOrderWithTheirTimeUpToTheQuota() {
        // Large stanzas with non-ASCII text come back unchanged (TEXT on both databases).
        String large = "<message><body>" + "ü€😀".repeat(20_000) + "</body></message>";
        assertThat(store.append(juliet, "<message id='1'/>", Instant.ofEpochMilli(1000), 3)).isTrue();
        assertThat(store.append(juliet, large, Instant.ofEpochMilli(2000), 3)).isTrue();
        assertThat(store.append(juliet, "<message id='3'/>", Instant.ofEpochMilli(2000), 3)).isTrue();
        assertThat(store.append(juliet, "<message id='4'/>", Instant.ofEpochMilli(3000), 3)).isFalse();

        List<OfflineMessage> messages = store.list(juliet);
        assertThat(messages).extracting(OfflineMessage::stanzaXml).containsExactly("<message id='1'/>", large,
                "<message id='3'/>");
        assertThat(messages).extracting(OfflineMessage::storedAt).containsExactly(Instant.ofEpochMilli(1000),
                Instant.ofEpochMilli(2000), Instant.ofEpochMilli(2000));
        assertThat(messages.get(0).id()).isLessThan(messages.get(1).id());
        assertThat(messages.get(1).id()).isLessThan(messages.get(2).id());
        assertThat(store.count(juliet)).isEqualTo(3);
        assertThat(store.owners()).containsExactly(juliet);
    }

    @Test
    void deletesOnlyTheGivenMessagesOfTheirOwner() {
        EntityBareJid romeo = account("romeo@example.org");
        store.append(juliet, "<message id='a'/>", Instant.ofEpochMilli(1), 10);
        store.append(juliet, "<message id='b'/>", Instant.ofEpochMilli(2), 10);
        store.append(romeo, "<message id='c'/>", Instant.ofEpochMilli(3), 10);
        List<OfflineMessage> juliets = store.list(juliet);
        long romeos = store.list(romeo).get(0).id();

        assertThat(store.delete(juliet, List.of(juliets.get(0).id(), romeos))).isEqualTo(1);
        assertThat(store.delete(juliet, List.of())).isZero();

        assertThat(store.list(juliet)).extracting(OfflineMessage::stanzaXml).containsExactly("<message id='b'/>");
        assertThat(store.count(romeo)).isEqualTo(1);
        assertThat(store.owners()).containsExactlyInAnyOrder(juliet, romeo);
    }

    @Test
    void messagesGoWithTheirAccount() {
        store.append(juliet, "<message/>", Instant.ofEpochMilli(1), 10);

        new JdbcAccountStore(dataSource()).delete(juliet);

        assertThat(store.list(juliet)).isEmpty();
        assertThat(store.owners()).isEmpty();
    }
}
