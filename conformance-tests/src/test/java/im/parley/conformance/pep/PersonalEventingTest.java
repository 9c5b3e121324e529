package im.parley.conformance.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.conformance.raw.RawXmppClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dom4j.Element;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smackx.pep.PepManager;
import org.jivesoftware.smackx.pubsub.AccessModel;
import org.jivesoftware.smackx.pubsub.form.FillableConfigureForm;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.listener.ItemEventListener;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.Subscription;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * Personal eventing (XEP-0163) with Smack's own PEP and PubSub support (smack-extensions), as
 * clients use it: a user publishes, a contact whose client asks for the node with
 * {@code +notify} in its entity capabilities (XEP-0115) gets the notification; an OMEMO-like
 * device list (XEP-0384 §5.3) with open access is fetched by someone who is no contact.
 */
class PersonalEventingTest {

    /** A payload namespace of our own: Smack parses the well-known ones (tune, mood) into their own classes. */
    private static final String STATUS = "urn:example:parley:status";
    private static final String DEVICES = "eu.siacs.conversations.axolotl.devicelist";

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /** Mutual presence subscription (RFC 6121 §3.1), both sides accepting. */
    static void befriend(XmppClient a, XmppClient b) throws Exception {
        Roster aRoster = Roster.getInstanceFor(a.connection());
        Roster bRoster = Roster.getInstanceFor(b.connection());
        aRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        bRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        aRoster.createItemAndRequestSubscription(b.bareJid(), null, null);
        bRoster.createItemAndRequestSubscription(a.bareJid(), null, null);
        await("mutual subscription").atMost(XmppClient.WAIT).until(() -> both(aRoster, b.bareJid()) && both(bRoster, a.bareJid()));
    }

    private static boolean both(Roster roster, EntityBareJid contact) {
        RosterEntry entry = roster.getEntry(contact);
        return entry != null && entry.getType() == RosterPacket.ItemType.both;
    }

    private static PayloadItem<SimplePayload> status(String id, String title) {
        return new PayloadItem<>(id, new SimplePayload("<status xmlns='" + STATUS + "'>" + title + "</status>"));
    }

    private static PayloadItem<SimplePayload> deviceList(String deviceId) {
        return new PayloadItem<>("current", new SimplePayload(
                "<list xmlns='eu.siacs.conversations.axolotl'><device id='" + deviceId + "'/></list>"));
    }

    /** What smack-omemo does: publish, then read the node's configuration and make it open (XEP-0060 §8.2). */
    private static void publishOpenDeviceList(PepManager pep, String deviceId) throws Exception {
        LeafNode devices = pep.publish(DEVICES, deviceList(deviceId));
        FillableConfigureForm open = devices.getNodeConfiguration().getFillableForm();
        open.setAccessModel(AccessModel.open);
        devices.sendConfigurationForm(open);
    }

    @Test
    @DisplayName("XEP-0163 §3, §4: a publish reaches the contact whose caps say +notify, and the publisher's own client")
    void aPublishReachesTheContactThatWantsIt() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");
        XmppClient romeo = parley.loggedIn("romeo");
        befriend(juliet, romeo);
        PepManager julietPep = PepManager.getInstanceFor(juliet.connection());
        assertThat(julietPep.isSupported()).as("XEP-0163 §6.1: pubsub/pep on the account").isTrue();
        List<String> romeoGot = new CopyOnWriteArrayList<>();
        List<String> julietGot = new CopyOnWriteArrayList<>();
        // Adding a listener adds <node>+notify to the client's features; Smack sends its new caps (XEP-0115 §4).
        PepManager.getInstanceFor(romeo.connection()).addPepEventListener(STATUS, SimplePayload.class,
                (from, payload, id, message) -> romeoGot.add(from + " " + id + " " + payload.toXML()));
        julietPep.addPepEventListener(STATUS, SimplePayload.class, (from, payload, id, message) -> julietGot.add(id));
        // The server learns what the new caps mean (its disco#info query, answered by Smack) before the publish.
        await("caps known").atMost(XmppClient.WAIT).untilAsserted(() -> {
            julietPep.publish(STATUS, status("probe" + System.nanoTime(), "probe"));
            assertThat(romeoGot).isNotEmpty();
        });

        julietPep.publish(STATUS, status("t1", "Allegro vigoroso"));

        await("Romeo's notification").atMost(XmppClient.WAIT).until(() -> romeoGot.stream()
                .anyMatch(e -> e.startsWith(juliet.bareJid() + " t1 ") && e.contains("Allegro vigoroso")));
        await("Juliet's own notification").atMost(XmppClient.WAIT).until(() -> julietGot.contains("t1"));
    }

    @Test
    @DisplayName("XEP-0384 §5.3 with XEP-0060 §8.2: an open device list is fetched by someone who is no contact; "
            + "a presence node is not (XEP-0060 §6.5.9.4)")
    void anOpenDeviceListIsFetchedByANonContact() throws Exception {
        XmppClient alice = parley.loggedIn("alice");
        XmppClient stranger = parley.loggedIn("stranger");
        PepManager alicePep = PepManager.getInstanceFor(alice.connection());
        publishOpenDeviceList(alicePep, "12345");
        alicePep.publish(STATUS, status("t1", "presence only"));

        PubSubManager aliceService = PubSubManager.getInstanceFor(stranger.connection(), alice.bareJid());
        List<Item> fetched = aliceService.getLeafNode(DEVICES).getItems();
        assertThat(fetched).singleElement().satisfies(item -> assertThat(item.toXML().toString()).contains("12345"));

        // Smack (with assertions on) cannot parse a pubsub error condition: the raw answer instead.
        RawXmppClient raw = parley.raw();
        raw.login(stranger.bareJid().getLocalpart().toString(), ParleyServerExtension.PASSWORD, "raw");
        Element refused = raw.iq("<iq type='get' id='%s' to='" + alice.bareJid() + "'><pubsub xmlns='"
                + "http://jabber.org/protocol/pubsub'><items node='" + STATUS + "'/></pubsub></iq>");
        assertThat(refused.attributeValue("type")).isEqualTo("error");
        assertThat(refused.element("error").elements()).extracting(Element::getName)
                .contains("not-authorized", "presence-subscription-required");
    }

    @Test
    @DisplayName("XEP-0163 §5 with XEP-0060 §6.1, §5.6, §6.2: a non-contact subscribes to an open node with Smack's "
            + "LeafNode, gets the last item and each new one, lists its subscription and unsubscribes")
    void aNonContactSubscribesToAnOpenNode() throws Exception {
        XmppClient alice = parley.loggedIn("alice");
        XmppClient stranger = parley.loggedIn("stranger");
        PepManager alicePep = PepManager.getInstanceFor(alice.connection());
        publishOpenDeviceList(alicePep, "1");

        LeafNode watched = PubSubManager.getInstanceFor(stranger.connection(), alice.bareJid()).getLeafNode(DEVICES);
        List<String> got = new CopyOnWriteArrayList<>();
        ItemEventListener<Item> listener = event -> event.getItems().forEach(item -> got.add(item.toXML().toString()));
        watched.addItemEventListener(listener);
        Subscription subscription = watched.subscribe(stranger.bareJid());

        assertThat(subscription.getState()).isEqualTo(Subscription.State.subscribed);
        assertThat(String.valueOf(subscription.getJid())).isEqualTo(stranger.bareJid().toString());
        await("the last item (§6.1.7)").atMost(XmppClient.WAIT).until(() -> got.stream().anyMatch(x -> x.contains("'1'")
                || x.contains("\"1\"")));
        alicePep.publish(DEVICES, deviceList("2"));
        await("the new device list").atMost(XmppClient.WAIT).until(() -> got.stream().anyMatch(x -> x.contains("'2'")
                || x.contains("\"2\"")));
        assertThat(watched.getSubscriptions()).singleElement()
                .satisfies(s -> assertThat(String.valueOf(s.getJid())).isEqualTo(stranger.bareJid().toString()));

        watched.unsubscribe(stranger.bareJid().toString());
        assertThat(watched.getSubscriptions()).isEmpty();
    }
}
