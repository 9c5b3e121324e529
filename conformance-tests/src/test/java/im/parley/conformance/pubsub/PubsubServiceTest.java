package im.parley.conformance.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.pubsub.AccessModel;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.Subscription;
import org.jivesoftware.smackx.pubsub.form.FillableConfigureForm;
import org.jivesoftware.smackx.pubsub.form.FillableSubscribeForm;
import org.jivesoftware.smackx.pubsub.form.SubscribeForm;
import org.jivesoftware.smackx.pubsub.listener.ItemEventListener;
import org.jxmpp.jid.DomainBareJid;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The publish-subscribe service on {@code pubsub.<domain>} (XEP-0060) with Smack's own PubSub
 * support (smack-extensions' {@code PubSubManager}), as a client uses it over a real connection:
 * found through service discovery, nodes created with a configuration, items published to
 * subscribers, subscription options chosen by the subscriber, subscriptions approved by the
 * owner under the {@code authorize} access model.
 */
class PubsubServiceTest {

    private static final String NEWS = "urn:example:parley:news";

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    private static PayloadItem<SimplePayload> headline(String id, String text) {
        return new PayloadItem<>(id, new SimplePayload("<headline xmlns='" + NEWS + "'>" + text + "</headline>"));
    }

    @Test
    @DisplayName("XEP-0060 §5.1, §8.1, §6.1, §7.1, §6.5, §8.4: found by discovery; a subscriber gets what the owner publishes")
    void aSubscriberGetsWhatTheOwnerPublishes() throws Exception {
        XmppClient owner = parley.loggedIn("owner");
        XmppClient reader = parley.loggedIn("reader");
        DomainBareJid service = PubSubManager.getPubSubService(owner.connection());
        assertThat((Object) service).as("pubsub/service in the domain's items").isNotNull();
        assertThat(service.toString()).startsWith("pubsub.");
        PubSubManager ownerService = PubSubManager.getInstanceFor(owner.connection(), service);
        assertThat(ownerService.canCreateNodesAndPublishItems()).as("an instant node created and deleted").isTrue();

        FillableConfigureForm config = ownerService.getDefaultConfiguration().getFillableForm();
        config.setTitle("Parley news");
        config.setMaxItems(5);
        LeafNode published = (LeafNode) ownerService.createNode("news", config);

        LeafNode subscribed = PubSubManager.getInstanceFor(reader.connection(), service).getLeafNode("news");
        List<String> got = new CopyOnWriteArrayList<>();
        ItemEventListener<Item> listener = event -> event.getItems().forEach(item -> got.add(item.toXML().toString()));
        subscribed.addItemEventListener(listener);
        Subscription subscription = subscribed.subscribe(reader.bareJid());
        assertThat(subscription.getState()).isEqualTo(Subscription.State.subscribed);

        published.publish(headline("h1", "Parley runs a pubsub service"));
        await("the notification").atMost(XmppClient.WAIT).until(() -> got.stream()
                .anyMatch(xml -> xml.contains("h1") && xml.contains("Parley runs a pubsub service")));
        List<Item> items = subscribed.getItems();
        assertThat(items).singleElement().satisfies(item -> assertThat(item.getId()).isEqualTo("h1"));
        assertThat(subscribed.getSubscriptions()).extracting(s -> s.getJid().toString())
                .containsExactly(reader.bareJid().toString());

        assertThat(ownerService.deleteNode("news")).isTrue();
    }

    @Test
    @DisplayName("XEP-0060 §6.3: a subscriber reads its options and turns delivery off, then on with a body")
    void aSubscriberChoosesItsOptions() throws Exception {
        XmppClient owner = parley.loggedIn("owner");
        XmppClient reader = parley.loggedIn("reader");
        DomainBareJid service = PubSubManager.getPubSubService(owner.connection());
        LeafNode node = PubSubManager.getInstanceFor(owner.connection(), service).createNode("options");
        LeafNode asReader = PubSubManager.getInstanceFor(reader.connection(), service).getLeafNode("options");
        List<String> got = new CopyOnWriteArrayList<>();
        ItemEventListener<Item> listener = event -> event.getItems().forEach(item -> got.add(item.getId()));
        asReader.addItemEventListener(listener);
        List<String> bodies = new CopyOnWriteArrayList<>();
        reader.connection().addAsyncStanzaListener(stanza -> bodies.add(((Message) stanza).getBody()),
                stanza -> stanza instanceof Message message && message.getBody() != null
                        && service.equals(message.getFrom()));
        String me = reader.bareJid().toString();
        asReader.subscribe(me);

        SubscribeForm options = asReader.getSubscriptionOptions(me);
        assertThat(options.isDeliverOn()).isTrue();
        assertThat(options.isIncludeBody()).isFalse();
        FillableSubscribeForm off = options.getFillableForm();
        off.setDeliverOn(false);
        // Smack sets options by subscribing again with the form (§6.3.7): the subscription stays one.
        assertThat(asReader.subscribe(reader.bareJid(), off).getState()).isEqualTo(Subscription.State.subscribed);
        assertThat(asReader.getSubscriptionOptions(me).isDeliverOn()).isFalse();
        node.publish(headline("quiet", "not delivered"));

        FillableSubscribeForm on = asReader.getSubscriptionOptions(me).getFillableForm();
        on.setDeliverOn(true);
        on.setIncludeBody(true);
        asReader.subscribe(reader.bareJid(), on);
        node.publish(headline("loud", "Parley delivers again"));
        await("the notification with its body").atMost(XmppClient.WAIT).until(() -> got.contains("loud")
                && bodies.contains("Parley delivers again"));
        assertThat(got).as("nothing while delivery was off").containsExactly("loud");
        assertThat(asReader.getSubscriptions()).hasSize(1);
    }

    @Test
    @DisplayName("XEP-0060 §4.5, §6.1.2, §8.8, §12: under authorize a subscription waits until the owner sets it "
            + "subscribed, which brings the last item")
    void underAuthorizeTheOwnerApproves() throws Exception {
        XmppClient owner = parley.loggedIn("owner");
        XmppClient reader = parley.loggedIn("reader");
        DomainBareJid service = PubSubManager.getPubSubService(owner.connection());
        PubSubManager ownerService = PubSubManager.getInstanceFor(owner.connection(), service);
        FillableConfigureForm config = ownerService.getDefaultConfiguration().getFillableForm();
        config.setAccessModel(AccessModel.authorize);
        LeafNode node = (LeafNode) ownerService.createNode("club", config);

        LeafNode asReader = PubSubManager.getInstanceFor(reader.connection(), service).getLeafNode("club");
        List<String> got = new CopyOnWriteArrayList<>();
        ItemEventListener<Item> listener = event -> event.getItems().forEach(item -> got.add(item.getId()));
        asReader.addItemEventListener(listener);
        assertThat(asReader.subscribe(reader.bareJid()).getState()).isEqualTo(Subscription.State.pending);
        node.publish(headline("before", "not yet"));

        node.modifySubscriptionsAsOwner(List.of(new Subscription(reader.bareJid(), Subscription.State.subscribed)));
        node.publish(headline("after", "welcome"));

        // Nothing while pending; the last item with the approval (XEP-0060 §12, item caching: on_sub
        // by default), then the new one: one "before" only, so none went out while pending.
        await("the notification after approval").atMost(XmppClient.WAIT).until(() -> got.contains("after"));
        assertThat(got).containsExactly("before", "after");
        ownerService.deleteNode("club");
    }
}
