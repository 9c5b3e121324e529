package im.parley.server.modules.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.modules.pep.Pubsub;
import im.parley.server.modules.pep.SubscriptionOptions;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Item;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Subscription;
import im.parley.server.storage.StoreContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcPubsubStore} on H2 and PostgreSQL: nodes with their stored configuration and first
 * owner, items newest last with a republished id becoming the newest (XEP-0060 §7.1.2),
 * affiliations (§8.9) and subscriptions (§6.1, §8.8), each service's apart from the others.
 */
class JdbcPubsubStoreTest extends StoreContract {

    private static final String SERVICE = "pubsub.example.org";
    private static final String OTHER = "pubsub.example.net";
    private static final NodeSettings.Limits LIMITS = new NodeSettings.Limits(100, 1024);
    private JdbcPubsubStore store;

    @BeforeEach
    void open() {
        store = new JdbcPubsubStore(moduleSchema("pubsub", "classpath:db/pubsub"));
    }

    private static Item item(String id, long at) {
        return new Item(id, "juliet@example.org", Instant.ofEpochMilli(at), "<geoloc xmlns='http://jabber.org/protocol/geoloc'/>");
    }

    @Test
    void createsNodesWithTheirOwnerAndConfigurationAndDeletesThemWithEverything() throws Exception {
        NodeSettings settings = NodeSettings.defaults(LIMITS).with(Map.of(NodeSettings.ACCESS_MODEL,
                List.of("whitelist"), NodeSettings.TITLE, List.of("Tunes")), LIMITS);
        assertThat(store.create(SERVICE, "news", settings.stored(), Instant.ofEpochSecond(1), "juliet@example.org")).isTrue();
        assertThat(store.create(SERVICE, "news", settings.stored(), Instant.ofEpochSecond(2), "romeo@example.org")).isFalse();
        assertThat(store.create(OTHER, "news", settings.stored(), Instant.ofEpochSecond(3), "romeo@example.org")).isTrue();
        assertThat(store.create(SERVICE, "Zeta", settings.stored(), Instant.ofEpochSecond(4), "juliet@example.org")).isTrue();

        assertThat(NodeSettings.restored(store.node(SERVICE, "news").orElseThrow().config(), LIMITS)).isEqualTo(settings);
        assertThat(store.node(SERVICE, "news").orElseThrow().created()).isEqualTo(Instant.ofEpochSecond(1));
        assertThat(store.nodes(SERVICE)).extracting(JdbcPubsubStore.StoredNode::name).containsExactly("Zeta", "news");
        assertThat(store.affiliations(SERVICE, "news")).containsExactly(Map.entry("juliet@example.org", Affiliation.OWNER));
        assertThat(store.ownedNodes(SERVICE, "juliet@example.org")).isEqualTo(2);

        store.publish(SERVICE, "news", item("a", 1), 10);
        store.subscribe(SERVICE, "news", "romeo@example.org/orchard", SubscriptionState.SUBSCRIBED, 10);
        assertThat(store.delete(SERVICE, "news")).isTrue();
        assertThat(store.delete(SERVICE, "news")).isFalse();
        assertThat(store.node(SERVICE, "news")).isEmpty();
        assertThat(store.items(SERVICE, "news", -1)).isEmpty();
        assertThat(store.subscriptionsOf(SERVICE, "romeo@example.org")).isEmpty();
        assertThat(store.node(OTHER, "news")).isPresent();
    }

    @Test
    void keepsTheNewestItemsAndMovesARepublishedIdToTheEnd() {
        store.create(SERVICE, "news", NodeSettings.defaults(LIMITS).stored(), Instant.EPOCH, "juliet@example.org");
        store.publish(SERVICE, "news", item("a", 1), 3);
        store.publish(SERVICE, "news", item("b", 2), 3);
        store.publish(SERVICE, "news", item("c", 3), 3);
        store.publish(SERVICE, "news", item("a", 4), 3);
        store.publish(SERVICE, "news", item("d", 5), 3);

        assertThat(store.items(SERVICE, "news", -1)).extracting(Item::id).containsExactly("c", "a", "d");
        assertThat(store.items(SERVICE, "news", 2)).extracting(Item::id).containsExactly("a", "d");
        assertThat(store.items(SERVICE, "news", Set.of("a", "zz"))).containsExactly(item("a", 4));
        assertThat(store.retract(SERVICE, "news", "a")).isTrue();
        assertThat(store.retract(SERVICE, "news", "a")).isFalse();
        store.trim(SERVICE, "news", 1);
        assertThat(store.items(SERVICE, "news", -1)).extracting(Item::id).containsExactly("d");
        store.purge(SERVICE, "news");
        assertThat(store.items(SERVICE, "news", -1)).isEmpty();
    }

    @Test
    void readsWhereItemsStandARangeOfThemAndDeletesTheExpired_xep0059_and_xep0060_16_4_4() {
        store.create(SERVICE, "news", NodeSettings.defaults(LIMITS).stored(), Instant.EPOCH, "juliet@example.org");
        store.create(OTHER, "news", NodeSettings.defaults(LIMITS).stored(), Instant.EPOCH, "juliet@example.org");
        for (String id : List.of("a", "b", "c", "d")) {
            store.publish(SERVICE, "news", item(id, id.charAt(0)), 10);
        }
        store.publish(SERVICE, "news", item("a", 'e'), 10);
        store.publish(OTHER, "news", item("x", 1), 10);

        List<Pubsub.ItemPosition> positions = store.positions(SERVICE, "news");
        assertThat(positions).extracting(Pubsub.ItemPosition::id).as("oldest first, a republished id last")
                .containsExactly("b", "c", "d", "a");
        assertThat(store.items(SERVICE, "news", positions.get(1).seq(), positions.get(2).seq())).extracting(Item::id)
                .containsExactly("c", "d");

        assertThat(store.expire(SERVICE, "news", Instant.ofEpochMilli('d'))).as("published before the cutoff").isEqualTo(2);
        assertThat(store.items(SERVICE, "news", -1)).extracting(Item::id).containsExactly("d", "a");
        assertThat(store.items(OTHER, "news", -1)).extracting(Item::id).as("another service's").containsExactly("x");
    }

    @Test
    void keepsAffiliationsAndSubscriptionsAndForgetsAnEntityWithItsFullJids() {
        store.create(SERVICE, "news", NodeSettings.defaults(LIMITS).stored(), Instant.EPOCH, "juliet@example.org");
        store.affiliate(SERVICE, "news", Map.of("romeo@example.org", Affiliation.PUBLISH_ONLY,
                "tybalt@example.org", Affiliation.OUTCAST));
        store.affiliate(SERVICE, "news", Map.of("tybalt@example.org", Affiliation.NONE));
        assertThat(store.affiliations(SERVICE, "news")).containsExactly(Map.entry("juliet@example.org", Affiliation.OWNER),
                Map.entry("romeo@example.org", Affiliation.PUBLISH_ONLY));
        assertThat(store.affiliationsOf(SERVICE, "romeo@example.org")).containsExactly(
                Map.entry("news", Affiliation.PUBLISH_ONLY));

        assertThat(store.subscribe(SERVICE, "news", "romeo@example.org", SubscriptionState.PENDING, 2)).isTrue();
        assertThat(store.subscribe(SERVICE, "news", "romeo@example.org/orchard", SubscriptionState.SUBSCRIBED, 2)).isTrue();
        assertThat(store.subscribe(SERVICE, "news", "nurse@example.org", SubscriptionState.SUBSCRIBED, 2))
                .as("the node's limit").isFalse();
        assertThat(store.subscribe(SERVICE, "news", "romeo@example.org", SubscriptionState.SUBSCRIBED, 2))
                .as("a change is no new subscription").isTrue();
        // A JID that only starts like Romeo's is someone else: LIKE's wildcards are escaped.
        store.subscribe(SERVICE, "news", "romeo@example.org_x", SubscriptionState.SUBSCRIBED, 10);
        assertThat(store.subscriptionsOf(SERVICE, "romeo@example.org")).containsExactly(
                new Subscription("news", "romeo@example.org", SubscriptionState.SUBSCRIBED),
                new Subscription("news", "romeo@example.org/orchard", SubscriptionState.SUBSCRIBED));

        assertThat(store.subscription(SERVICE, "news", "romeo@example.org/orchard")).contains(
                new Subscription("news", "romeo@example.org/orchard", SubscriptionState.SUBSCRIBED));
        assertThat(store.subscription(SERVICE, "news", "nurse@example.org")).isEmpty();

        // XEP-0060 §6.3: options stored with the subscription, kept when only its state changes.
        SubscriptionOptions quiet = new SubscriptionOptions(false, true);
        store.subscribe(SERVICE, "news", "romeo@example.org/orchard", SubscriptionState.SUBSCRIBED, quiet, 10);
        store.subscribe(SERVICE, "news", "romeo@example.org/orchard", SubscriptionState.PENDING, 10);
        assertThat(store.subscription(SERVICE, "news", "romeo@example.org/orchard")).contains(
                new Subscription("news", "romeo@example.org/orchard", SubscriptionState.PENDING, quiet));
        store.subscribe(SERVICE, "news", "benvolio@example.org", SubscriptionState.SUBSCRIBED, quiet, 10);
        assertThat(store.subscriptions(SERVICE, "news")).filteredOn(s -> s.jid().equals("benvolio@example.org"))
                .extracting(Subscription::options).containsExactly(quiet);
        store.subscribe(SERVICE, "news", "benvolio@example.org", null, 10);

        store.forget(SERVICE, "romeo@example.org");
        assertThat(store.subscriptions(SERVICE, "news")).extracting(Subscription::jid).containsExactly("romeo@example.org_x");
        assertThat(store.affiliations(SERVICE, "news")).containsOnlyKeys("juliet@example.org");
    }
}
