package im.parley.server.modules.pep;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.modules.pep.JdbcPepSubscriptions.Subscribing;
import im.parley.server.modules.pep.JdbcPepSubscriptions.Subscription;
import im.parley.server.storage.JdbcAccountStore;
import im.parley.server.storage.StoreContract;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/**
 * {@link JdbcPepSubscriptions} on H2 and PostgreSQL: explicit subscriptions to PEP nodes
 * (XEP-0060 §6.1, §6.2, §5.6, §8.8), one per node and JID, a limit per node, and what goes with a
 * node, an outcast (§4.1) or a deleted account.
 */
class JdbcPepSubscriptionsTest extends StoreContract {

    private static final String MOOD = "http://jabber.org/protocol/mood";
    private static final String TUNE = "http://jabber.org/protocol/tune";
    private JdbcPepStore store;
    private JdbcPepSubscriptions subscriptions;
    private EntityBareJid juliet;

    @BeforeEach
    void open() {
        store = new JdbcPepStore(moduleSchema("pep", "classpath:db/pep"));
        subscriptions = new JdbcPepSubscriptions(moduleSchema("pep", "classpath:db/pep"));
        juliet = account("juliet@example.org");
        store.create(juliet, MOOD, NodeConfig.defaults(), 10);
        store.create(juliet, TUNE, NodeConfig.defaults(), 10);
    }

    @Test
    void subscribesOnceAndUpToTheLimit() {
        assertThat(subscriptions.subscribe(juliet, MOOD, "romeo@example.net", 2)).isEqualTo(Subscribing.SUBSCRIBED);
        assertThat(subscriptions.subscribe(juliet, MOOD, "romeo@example.net", 2)).isEqualTo(Subscribing.ALREADY);
        assertThat(subscriptions.subscribe(juliet, MOOD, "romeo@example.net/orchard", 2)).isEqualTo(Subscribing.SUBSCRIBED);
        assertThat(subscriptions.subscribe(juliet, MOOD, "nurse@example.org", 2)).isEqualTo(Subscribing.TOO_MANY);
        assertThat(subscriptions.subscribe(juliet, TUNE, "nurse@example.org", 2)).as("the limit is per node")
                .isEqualTo(Subscribing.SUBSCRIBED);

        assertThat(subscriptions.subscribers(juliet, MOOD)).containsOnlyKeys("romeo@example.net", "romeo@example.net/orchard");
        assertThat(subscriptions.unsubscribe(juliet, MOOD, "romeo@example.net")).isTrue();
        assertThat(subscriptions.unsubscribe(juliet, MOOD, "romeo@example.net")).isFalse();
        assertThat(subscriptions.subscribers(juliet, MOOD)).containsOnlyKeys("romeo@example.net/orchard");
    }

    @Test
    void keepsEachSubscriptionsOptions_xep0060_6_3() {
        SubscriptionOptions quiet = new SubscriptionOptions(false, true);
        assertThat(subscriptions.subscribe(juliet, MOOD, "romeo@example.net", quiet, 10)).isEqualTo(Subscribing.SUBSCRIBED);
        subscriptions.subscribe(juliet, MOOD, "nurse@example.org", 10);
        assertThat(subscriptions.subscribers(juliet, MOOD)).containsExactly(Map.entry("nurse@example.org",
                SubscriptionOptions.DEFAULT), Map.entry("romeo@example.net", quiet));
        assertThat(subscriptions.options(juliet, MOOD, "romeo@example.net")).contains(quiet);
        assertThat(subscriptions.options(juliet, TUNE, "romeo@example.net")).isEmpty();

        assertThat(subscriptions.subscribe(juliet, MOOD, "romeo@example.net", 10)).as("options kept")
                .isEqualTo(Subscribing.ALREADY);
        assertThat(subscriptions.options(juliet, MOOD, "romeo@example.net")).contains(quiet);
        assertThat(subscriptions.subscribe(juliet, MOOD, "romeo@example.net", SubscriptionOptions.DEFAULT, 10))
                .as("options given again").isEqualTo(Subscribing.ALREADY);
        assertThat(subscriptions.options(juliet, MOOD, "romeo@example.net")).contains(SubscriptionOptions.DEFAULT);

        assertThat(subscriptions.setOptions(juliet, MOOD, "nurse@example.org", quiet)).isTrue();
        assertThat(subscriptions.setOptions(juliet, TUNE, "nurse@example.org", quiet)).as("not subscribed").isFalse();
        assertThat(subscriptions.subscriptionsOf(juliet, jid("nurse@example.org")))
                .containsExactly(new Subscription(MOOD, "nurse@example.org", quiet));
    }

    @Test
    void oneEntityHoldsAtMostItsShareOfANodesSubscriptions() {
        for (int i = 0; i < JdbcPepSubscriptions.MAX_PER_ENTITY - 1; i++) {
            assertThat(subscriptions.subscribe(juliet, MOOD, "tybalt@example.net/" + i, 1000)).isEqualTo(Subscribing.SUBSCRIBED);
        }
        assertThat(subscriptions.subscribe(juliet, MOOD, "tybalt@example.net", 1000)).isEqualTo(Subscribing.SUBSCRIBED);

        assertThat(subscriptions.subscribe(juliet, MOOD, "tybalt@example.net/more", 1000)).isEqualTo(Subscribing.TOO_MANY);
        assertThat(subscriptions.subscribe(juliet, MOOD, "romeo@example.net/orchard", 1000)).isEqualTo(Subscribing.SUBSCRIBED);
        assertThat(subscriptions.subscribe(juliet, TUNE, "tybalt@example.net/more", 1000)).as("per node")
                .isEqualTo(Subscribing.SUBSCRIBED);
    }

    @Test
    void findsAnEntitysSubscriptionsByItsBareJidAndNoOtherEntitys() {
        subscriptions.subscribe(juliet, MOOD, "a_b@example.net", 10);
        subscriptions.subscribe(juliet, TUNE, "a_b@example.net/phone", 10);
        // LIKE's wildcards in a JID match themselves only.
        subscriptions.subscribe(juliet, MOOD, "axb@example.net/phone", 10);
        subscriptions.subscribe(juliet, MOOD, "a_b@example.net.evil/x", 10);

        assertThat(subscriptions.subscriptionsOf(juliet, jid("a_b@example.net"))).containsExactly(
                new Subscription(MOOD, "a_b@example.net", SubscriptionOptions.DEFAULT),
                new Subscription(TUNE, "a_b@example.net/phone", SubscriptionOptions.DEFAULT));

        subscriptions.unsubscribeAll(juliet, MOOD, jid("a_b@example.net"));
        assertThat(subscriptions.subscribers(juliet, MOOD)).containsOnlyKeys("a_b@example.net.evil/x", "axb@example.net/phone");
        subscriptions.unsubscribeEverywhere(jid("a_b@example.net"));
        assertThat(subscriptions.subscribers(juliet, TUNE)).isEmpty();
        assertThat(subscriptions.subscribers(juliet, MOOD)).hasSize(2);
    }

    @Test
    void subscriptionsGoWithTheNodeAndTheAccount() {
        subscriptions.subscribe(juliet, MOOD, "romeo@example.net", 10);
        subscriptions.subscribe(juliet, TUNE, "romeo@example.net", 10);

        store.delete(juliet, MOOD);
        store.create(juliet, MOOD, NodeConfig.defaults(), 10);
        assertThat(subscriptions.subscribers(juliet, MOOD)).isEmpty();

        new JdbcAccountStore(dataSource()).delete(juliet);
        assertThat(subscriptions.subscriptionsOf(juliet, jid("romeo@example.net"))).isEmpty();
    }

    @Test
    void readsAnEntitysAffiliationsByNode() {
        store.affiliate(juliet, MOOD, Map.of("romeo@example.net", Affiliation.MEMBER));
        store.affiliate(juliet, TUNE, Map.of("romeo@example.net", Affiliation.OUTCAST, "nurse@example.org", Affiliation.MEMBER));

        assertThat(store.affiliationsOf(juliet, "romeo@example.net"))
                .containsExactly(Map.entry(MOOD, Affiliation.MEMBER), Map.entry(TUNE, Affiliation.OUTCAST));
    }

    @Test
    void concurrentSubscriptionsNeverPassTheNodesLimit() throws Exception {
        List<Subscribing> done = Collections.synchronizedList(new ArrayList<>());
        concurrently(6, n -> done.add(subscriptions.subscribe(juliet, MOOD, "guest" + n + "@example.net", 2)));

        // XEP-0060 §6.1.3.9: past the node's limit, too-many-subscriptions, however many ask at once.
        assertThat(done).filteredOn(Subscribing.SUBSCRIBED::equals).hasSize(2);
        assertThat(done).filteredOn(Subscribing.TOO_MANY::equals).hasSize(4);
        assertThat(subscriptions.subscribers(juliet, MOOD)).hasSize(2);
    }

    @Test
    void concurrentSubscriptionsOfOneJidGiveOne() throws Exception {
        List<Subscribing> done = Collections.synchronizedList(new ArrayList<>());
        concurrently(4, n -> done.add(subscriptions.subscribe(juliet, MOOD, "romeo@example.net", 10)));

        assertThat(done).containsOnlyOnce(Subscribing.SUBSCRIBED).containsOnly(Subscribing.SUBSCRIBED, Subscribing.ALREADY);
    }
}
