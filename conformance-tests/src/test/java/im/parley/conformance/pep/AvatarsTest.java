package im.parley.conformance.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.conformance.raw.RawXmppClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.pep.PepManager;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * Avatars with Smack: a vCard photo set with {@code VCardManager} (XEP-0153) becomes a PEP avatar
 * (XEP-0084) that contacts hear of, a PEP avatar becomes the vCard photo others load (XEP-0398
 * §3), and the photo's hash rides in presence (§4). And the user nickname (XEP-0172 §4.6) over PEP.
 */
class AvatarsTest {

    private static final String DATA = "urn:xmpp:avatar:data";
    private static final String METADATA = "urn:xmpp:avatar:metadata";
    private static final String NICK = "http://jabber.org/protocol/nick";
    private static final String PROBE = "urn:example:parley:probe";
    private static final byte[] IMAGE = "an image, as far as the server cares".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    private static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    private static boolean isEvent(Object stanza, String node, String contains) {
        return stanza instanceof Message message && message.getType() == Message.Type.headline
                && message.toXML().toString().contains("node='" + node + "'") && message.toXML().toString().contains(contains);
    }

    /** Romeo asks for {@code node}'s notifications (XEP-0163 §4.1) and the server knows it. */
    private static void wantsNotifications(XmppClient romeo, XmppClient juliet, String node) throws Exception {
        PepManager.getInstanceFor(romeo.connection()).addPepEventListener(node, SimplePayload.class, (f, p, i, m) -> { });
        PepManager.getInstanceFor(romeo.connection()).addPepEventListener(PROBE, SimplePayload.class, (f, p, i, m) -> { });
        PepManager julietPep = PepManager.getInstanceFor(juliet.connection());
        await("caps known").atMost(XmppClient.WAIT).untilAsserted(() -> {
            julietPep.publish(PROBE, new PayloadItem<>("p", new SimplePayload("<probe xmlns='" + PROBE + "'/>")));
            assertThat(romeo.received(s -> isEvent(s, PROBE, "probe"))).isNotEmpty();
        });
    }

    @Test
    @DisplayName("XEP-0398 §3.2: a vCard photo saved with Smack's VCardManager is published as the PEP avatar contacts hear of")
    void aVcardPhotoBecomesThePepAvatar() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");
        XmppClient romeo = parley.loggedIn("romeo");
        PersonalEventingTest.befriend(juliet, romeo);
        wantsNotifications(romeo, juliet, METADATA);

        VCard vcard = new VCard();
        vcard.setNickName("Jules");
        vcard.setAvatar(IMAGE, "image/png");
        VCardManager.getInstanceFor(juliet.connection()).saveVCard(vcard);

        String id = sha1(IMAGE);
        romeo.receives("the metadata notification (XEP-0084 §4.2)", s -> isEvent(s, METADATA, "id='" + id + "'"));
    }

    @Test
    @DisplayName("XEP-0398 §4, XEP-0153 §4.3: the server puts the photo hash into presence, directed presence too")
    void presenceCarriesThePhotoHash() throws Exception {
        // Raw clients: Smack with assertions on cannot parse an unknown presence extension
        // (StandardExtensionElementProvider asserts on the default namespace declaration).
        EntityBareJid julietJid = parley.newAccount("juliet");
        EntityBareJid nurseJid = parley.newAccount("nurse");
        RawXmppClient juliet = parley.raw();
        juliet.login(julietJid.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "balcony");
        RawXmppClient nurse = parley.raw();
        String nurseFull = nurse.login(nurseJid.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "kitchen");
        Element saved = juliet.iq("<iq type='set' id='%s'><vCard xmlns='vcard-temp'><PHOTO><TYPE>image/png</TYPE><BINVAL>"
                + Base64.getEncoder().encodeToString(IMAGE) + "</BINVAL></PHOTO></vCard></iq>");
        assertThat(saved.attributeValue("type")).as(saved.asXML()).isEqualTo("result");

        juliet.send("<presence to='" + nurseFull + "'><x xmlns='vcard-temp:x:update'/></presence>");

        Element presence = nurse.nextElement(e -> "presence".equals(e.getName()));
        assertThat(presence.element(QName.get("x", "vcard-temp:x:update")).elementText(QName.get("photo",
                "vcard-temp:x:update"))).isEqualTo(sha1(IMAGE));
    }

    @Test
    @DisplayName("XEP-0398 §3.1: a PEP avatar (XEP-0084 §4.1, §4.2) is the vCard photo others load")
    void aPepAvatarIsTheVcardPhoto() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");
        XmppClient stranger = parley.loggedIn("stranger");
        PepManager pep = PepManager.getInstanceFor(juliet.connection());
        String id = sha1(IMAGE);
        pep.publish(DATA, new PayloadItem<>(id, new SimplePayload("<data xmlns='" + DATA + "'>"
                + Base64.getEncoder().encodeToString(IMAGE) + "</data>")));
        pep.publish(METADATA, new PayloadItem<>(id, new SimplePayload("<metadata xmlns='" + METADATA + "'><info bytes='"
                + IMAGE.length + "' id='" + id + "' type='image/png' height='64' width='64'/></metadata>")));

        VCard loaded = VCardManager.getInstanceFor(stranger.connection()).loadVCard(juliet.bareJid());
        assertThat(loaded.getAvatar()).isEqualTo(IMAGE);
        assertThat(loaded.getAvatarHash()).isEqualTo(id);
    }

    @Test
    @DisplayName("XEP-0172 §4.6: a nickname published to PEP reaches the contacts that want it")
    void aNicknameReachesContacts() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");
        XmppClient romeo = parley.loggedIn("romeo");
        PersonalEventingTest.befriend(juliet, romeo);
        wantsNotifications(romeo, juliet, NICK);

        PepManager.getInstanceFor(juliet.connection()).publish(NICK, new PayloadItem<>(new SimplePayload(
                "<nick xmlns='" + NICK + "'>Jules</nick>")));

        romeo.receives("the nickname (XEP-0172 Example 12)", s -> isEvent(s, NICK, "Jules"));
    }
}
