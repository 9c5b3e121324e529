package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.core.jid.Jids;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/** {@link JdbcRosterStore} on H2 and PostgreSQL (RFC 6121 §2.1, §2.6, §3.1.3). */
class JdbcRosterStoreTest extends StoreContract {
    private JdbcRosterStore store;
    private EntityBareJid juliet;
    private BareJid romeo;

    @BeforeEach
    void open() throws Exception {
        juliet = account("juliet@example.org");
        store = new JdbcRosterStore(dataSource());
        romeo = Jids.parse("romeo@example.net").asBareJid();
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

    @Test
    void aChangeThatFailsMidwayLeavesTheRosterAndItsVersionAsTheyWere() {
        // One stanza's effect is one transaction: here the item row and the version are written,
        // then a group too long for its column fails the next statement; nothing may remain,
        // or a roster push and the stored roster would disagree (RFC 6121 §2.1.6, §2.6).
        RosterItem item = RosterItem.of(romeo).withNameAndGroups("Romeo", Set.of("Friends"));
        store.update(juliet, romeo, s -> new ContactState(Optional.of(item), Optional.empty()));
        RosterItem broken = item.withNameAndGroups("Romeo Montague", Set.of("Friends", "g".repeat(2000)));

        assertThatThrownBy(() -> store.update(juliet, romeo, s -> new ContactState(Optional.of(broken),
                Optional.of("<presence type='subscribe'/>")))).isInstanceOf(StorageException.class);

        assertThat(store.roster(juliet)).isEqualTo(new Roster(1, List.of(item)));
        assertThat(store.pendingSubscriptions(juliet)).isEmpty();
    }
}
