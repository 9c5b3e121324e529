package im.parley.server.modules.pep;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.storage.JdbcAccountStore;
import im.parley.server.storage.StoreContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@link JdbcPepStore} on H2 and PostgreSQL: nodes and their configuration (XEP-0060 §16.4.4),
 * items newest last with a republished id becoming the newest (§7.1.2), affiliations (§8.9).
 */
class JdbcPepStoreTest extends StoreContract {
    private static final String MOOD = "http://jabber.org/protocol/mood";
    private JdbcPepStore store;
    private EntityBareJid juliet;

    @BeforeEach
    void open() {
        store = new JdbcPepStore(moduleSchema("pep", "classpath:db/pep"));
        juliet = account("juliet@example.org");
    }

    @Test
    void createsConfiguresAndDeletesNodes() {
        NodeConfig config = new NodeConfig(AccessModel.ROSTER, Set.of("Friends", "Family"), 5, true, SendLast.ON_SUB,
                false, true, false, "Tunes", "What I listen to", "http://jabber.org/protocol/tune",
                NodeConfig.NotificationType.NORMAL, false, true, 3600);

        assertThat(store.create(juliet, MOOD, NodeConfig.defaults(), 2)).isEqualTo(JdbcPepStore.Creation.CREATED);
        assertThat(store.create(juliet, MOOD, NodeConfig.defaults(), 2)).isEqualTo(JdbcPepStore.Creation.EXISTS);
        assertThat(store.create(juliet, "urn:xmpp:avatar:data", NodeConfig.defaults(), 2))
                .isEqualTo(JdbcPepStore.Creation.CREATED);
        assertThat(store.create(juliet, "third", NodeConfig.defaults(), 2)).isEqualTo(JdbcPepStore.Creation.TOO_MANY);
        assertThat(store.create(jid("ghost@example.org"), MOOD, NodeConfig.defaults(), 2))
                .isEqualTo(JdbcPepStore.Creation.NO_ACCOUNT);

        store.configure(juliet, MOOD, config);
        assertThat(store.node(juliet, MOOD)).contains(config);
        assertThat(store.nodes(juliet).keySet()).containsExactly(MOOD, "urn:xmpp:avatar:data");
        // The same order on both databases, whatever PostgreSQL's collation: by code point.
        assertThat(store.create(juliet, "Zeta", NodeConfig.defaults(), 10)).isEqualTo(JdbcPepStore.Creation.CREATED);
        assertThat(store.create(juliet, "alpha", NodeConfig.defaults(), 10)).isEqualTo(JdbcPepStore.Creation.CREATED);
        assertThat(store.nodes(juliet).keySet()).containsExactly("Zeta", "alpha", MOOD, "urn:xmpp:avatar:data");

        assertThat(store.delete(juliet, MOOD)).isTrue();
        assertThat(store.delete(juliet, MOOD)).isFalse();
        assertThat(store.node(juliet, MOOD)).isEmpty();
    }

    @Test
    void keepsTheNewestItemsAndMovesARepublishedIdToTheEnd() {
        store.create(juliet, MOOD, NodeConfig.defaults(), 10);
        store.publish(juliet, MOOD, item("a", 1), 3);
        store.publish(juliet, MOOD, item("b", 2), 3);
        store.publish(juliet, MOOD, item("c", 3), 3);
        store.publish(juliet, MOOD, item("a", 4), 3);
        store.publish(juliet, MOOD, item("d", 5), 3);

        assertThat(store.items(juliet, MOOD, -1)).extracting(PepItem::id).containsExactly("c", "a", "d");
        assertThat(store.items(juliet, MOOD, 2)).extracting(PepItem::id).containsExactly("a", "d");
        assertThat(store.items(juliet, MOOD, Set.of("a", "zz"))).containsExactly(item("a", 4));

        assertThat(store.retract(juliet, MOOD, "a")).isTrue();
        assertThat(store.retract(juliet, MOOD, "a")).isFalse();
        // A configuration that keeps fewer items drops the oldest.
        store.configure(juliet, MOOD, NodeConfig.defaults());
        assertThat(store.items(juliet, MOOD, -1)).extracting(PepItem::id).containsExactly("d");
        store.purge(juliet, MOOD);
        assertThat(store.items(juliet, MOOD, -1)).isEmpty();
    }

    @Test
    void readsWhereItemsStandAndARangeOfThem_xep0059() {
        store.create(juliet, MOOD, NodeConfig.defaults(), 10);
        for (String id : List.of("a", "b", "c", "d")) {
            store.publish(juliet, MOOD, item(id, id.charAt(0)), 10);
        }
        store.publish(juliet, MOOD, item("a", 'e'), 10);

        List<Pubsub.ItemPosition> positions = store.positions(juliet, MOOD);
        assertThat(positions).extracting(Pubsub.ItemPosition::id).as("oldest first, a republished id last")
                .containsExactly("b", "c", "d", "a");
        assertThat(store.items(juliet, MOOD, positions.get(1).seq(), positions.get(2).seq())).extracting(PepItem::id)
                .containsExactly("c", "d");
        assertThat(store.positions(juliet, "urn:example:none")).isEmpty();
    }

    @Test
    void setsAndRemovesAffiliationsAndEverythingGoesWithTheAccount() {
        store.create(juliet, MOOD, NodeConfig.defaults(), 10);
        store.publish(juliet, MOOD, item("a", 1), 1);
        Map<String, Affiliation> changes = new LinkedHashMap<>();
        changes.put("romeo@example.net", Affiliation.MEMBER);
        changes.put("tybalt@example.net", Affiliation.OUTCAST);
        changes.put("Benvolio@example.net/x", Affiliation.PUBLISHER);
        store.affiliate(juliet, MOOD, changes);
        store.affiliate(juliet, MOOD, Map.of("tybalt@example.net", Affiliation.NONE));

        assertThat(store.affiliations(juliet, MOOD)).containsExactly(
                Map.entry("Benvolio@example.net/x", Affiliation.PUBLISHER), Map.entry("romeo@example.net", Affiliation.MEMBER));
        store.affiliate(juliet, MOOD, Map.of("aaron@example.net", Affiliation.MEMBER));
        assertThat(store.affiliations(juliet, MOOD).keySet())
                .containsExactly("Benvolio@example.net/x", "aaron@example.net", "romeo@example.net");

        new JdbcAccountStore(dataSource()).delete(juliet);
        assertThat(store.nodes(juliet)).isEmpty();
        assertThat(store.items(juliet, MOOD, -1)).isEmpty();
        assertThat(store.affiliations(juliet, MOOD)).isEmpty();
    }

    @Test
    void concurrentCreationsAndPublicationsOfOneNodeAndIdGiveOneOfEach() throws Exception {
        // Two resources publishing to a node that does not exist yet (XEP-0163 §3: auto-create).
        List<JdbcPepStore.Creation> creations = Collections.synchronizedList(new ArrayList<>());
        concurrently(4, n -> creations.add(store.create(juliet, MOOD, NodeConfig.defaults(), 10)));
        concurrently(4, n -> store.publish(juliet, MOOD, item("current", n), 5));

        assertThat(creations).containsOnlyOnce(JdbcPepStore.Creation.CREATED)
                .containsOnly(JdbcPepStore.Creation.CREATED, JdbcPepStore.Creation.EXISTS);
        assertThat(store.items(juliet, MOOD, -1)).extracting(PepItem::id).containsExactly("current");
    }

    /** XEP-0060 §16.4.4 {@code pubsub#item_expire}: a node's expired items go, by node or for the whole domain. */
    @Test
    void deletesTheItemsOlderThanTheirNodesItemExpire_xep0060_16_4_4() throws Exception {
        EntityBareJid romeo = account("romeo@example.org");
        EntityBareJid elsewhere = account("juliet@example.net");
        NodeConfig minute = NodeConfig.defaults().with(Map.of("pubsub#max_items", List.of("10"),
                "pubsub#item_expire", List.of("60")), 10);
        store.create(juliet, MOOD, minute, 10);
        store.create(juliet, "kept", NodeConfig.defaults().withMaxItems(10), 10);
        store.create(romeo, MOOD, minute, 10);
        store.create(elsewhere, MOOD, minute, 10);
        for (EntityBareJid owner : List.of(juliet, romeo, elsewhere)) {
            store.publish(owner, MOOD, item("old", 1_000), 10);
            store.publish(owner, MOOD, item("new", 50_000), 10);
        }
        store.publish(juliet, "kept", item("old", 1_000), 10);

        assertThat(store.node(juliet, MOOD).orElseThrow().itemExpire()).isEqualTo(60);
        assertThat(store.expire(juliet, MOOD, Instant.ofEpochMilli(2_000))).as("one node's, by cutoff").isEqualTo(1);
        assertThat(store.items(juliet, MOOD, -1)).extracting(PepItem::id).containsExactly("new");
        assertThat(store.items(romeo, MOOD, -1)).extracting(PepItem::id).containsExactly("old", "new");

        // At 61 s, "old" (published at 1 s) is just a minute old and stays; at 62 s it goes, "new" (50 s) not.
        assertThat(store.expireAll("example.org", Instant.ofEpochMilli(61_000))).as("a minute old, not more").isZero();
        assertThat(store.expireAll("example.org", Instant.ofEpochMilli(62_000))).as("romeo's old item").isEqualTo(1);
        assertThat(store.items(romeo, MOOD, -1)).extracting(PepItem::id).containsExactly("new");
        assertThat(store.items(juliet, "kept", -1)).extracting(PepItem::id).as("no item_expire: kept").containsExactly("old");
        assertThat(store.items(elsewhere, MOOD, -1)).extracting(PepItem::id).as("another domain's")
                .containsExactly("old", "new");
    }

    private static PepItem item(String id, long published) {
        return new PepItem(id, Instant.ofEpochMilli(published), "<mood xmlns='" + MOOD + "'><happy/><text>" + id
                + "</text></mood>");
    }
}
