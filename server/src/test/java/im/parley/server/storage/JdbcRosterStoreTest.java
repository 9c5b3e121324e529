package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.config.StorageConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/** {@link JdbcRosterStore} on the embedded H2 database (RFC 6121 §2.1, §2.6, §3.1.3). */
class JdbcRosterStoreTest {
    @TempDir
    Path dataDir;
    private Database database;
    private JdbcRosterStore store;
    private EntityBareJid juliet;
    private BareJid romeo;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(StorageConfig.defaults(), dataDir);
        new JdbcAccountStore(database.dataSource()).create(Jids.parseEntityBare("juliet@example.org"), List.of());
        store = new JdbcRosterStore(database.dataSource());
        juliet = Jids.parseEntityBare("juliet@example.org");
        romeo = Jids.parse("romeo@example.net").asBareJid();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void storesItemsWithGroupsAndRaisesTheVersionOnEachChange() {
        assertThat(store.roster(juliet)).isEqualTo(new Roster(0, List.of()));
        RosterItem item = new RosterItem(romeo, "Romeo", Set.of("Friends", "Lovers"), Subscription.TO, false, true);

        RosterUpdate added = store.update(juliet, romeo, s -> new ContactState(Optional.of(item), s.pendingRequest()));
        RosterUpdate same = store.update(juliet, romeo, s -> s);

        // §2.6.2: the version changes with the roster, and only then.
        assertThat(added.itemChanged()).isTrue();
        assertThat(added.version()).isEqualTo(1);
        assertThat(same.itemChanged()).isFalse();
        assertThat(same.version()).isEqualTo(1);
        assertThat(store.roster(juliet)).isEqualTo(new Roster(1, List.of(item)));
    }

    @Test
    void removingAnItemDropsItsGroupsAndRaisesTheVersion() {
        RosterItem item = RosterItem.of(romeo).withNameAndGroups(null, Set.of("Friends"));
        store.update(juliet, romeo, s -> new ContactState(Optional.of(item), Optional.empty()));

        RosterUpdate removed = store.update(juliet, romeo, s -> ContactState.UNKNOWN);

        assertThat(removed.before().item()).contains(item);
        assertThat(store.roster(juliet)).isEqualTo(new Roster(2, List.of()));
    }

    @Test
    void keepsOnePendingRequestPerContactWithoutTouchingTheRoster() {
        // §3.1.3: a pending inbound request exists without a roster item; the newest replaces the older.
        store.update(juliet, romeo, s -> new ContactState(s.item(), Optional.of("<presence type='subscribe'/>")));
        RosterUpdate second = store.update(juliet, romeo,
                s -> new ContactState(s.item(), Optional.of("<presence type='subscribe' id='2'/>")));

        assertThat(second.itemChanged()).isFalse();
        assertThat(store.roster(juliet).items()).isEmpty();
        assertThat(store.pendingSubscriptions(juliet))
                .containsExactly(new PendingSubscription(romeo, "<presence type='subscribe' id='2'/>"));

        store.update(juliet, romeo, s -> new ContactState(s.item(), Optional.empty()));
        assertThat(store.pendingSubscriptions(juliet)).isEmpty();
    }
}
