package im.parley.conformance.multidevice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.SmackClients;
import im.parley.conformance.XmppClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * Message Carbons (XEP-0280) with Smack's own carbons support, as a multi-device client uses
 * it: Romeo on a laptop and a phone, both with carbons enabled, chatting with Juliet.
 */
class MessageCarbonsTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /** A carbon copy a client's CarbonManager reported. */
    private record Copy(CarbonExtension.Direction direction, Message original) {
    }

    private static List<Copy> carbonsOf(XmppClient client) throws Exception {
        CarbonManager carbons = CarbonManager.getInstanceFor(client.connection());
        assertThat(carbons.isSupportedByServer()).as("XEP-0280 §3: the server announces urn:xmpp:carbons:2").isTrue();
        List<Copy> copies = new CopyOnWriteArrayList<>();
        carbons.addCarbonCopyReceivedListener((direction, original, wrapping) -> copies.add(new Copy(direction, original)));
        carbons.enableCarbons();
        assertThat(carbons.getCarbonsEnabled()).isTrue();
        return copies;
    }

    @Test
    @DisplayName("XEP-0280 §6 and §7: both sides of a conversation reach the user's other device")
    void bothSidesOfAConversationReachTheOtherDevice() throws Exception {
        EntityBareJid romeo = parley.newAccount("romeo");
        XmppClient laptop = parley.connect(SmackClients.startTls(parley, romeo, ParleyServerExtension.PASSWORD, "laptop"));
        XmppClient phone = parley.connect(SmackClients.startTls(parley, romeo, ParleyServerExtension.PASSWORD, "phone"));
        laptop.sendsPresence(10);
        List<Copy> onPhone = carbonsOf(phone);
        List<Copy> onLaptop = carbonsOf(laptop);
        XmppClient juliet = parley.loggedIn("juliet");

        // §6: Juliet writes to Romeo's bare JID; the laptop (highest priority) gets it, the phone a copy.
        juliet.sendsChat(romeo, "Wherefore art thou Romeo?");
        laptop.receivesChat(juliet.jid(), "Wherefore art thou Romeo?");
        await("the phone's received carbon").atMost(XmppClient.WAIT).until(() -> onPhone.stream().anyMatch(c ->
                c.direction() == CarbonExtension.Direction.received
                        && "Wherefore art thou Romeo?".equals(c.original().getBody())));

        // §7: the phone answers; the laptop gets a sent carbon, the phone none of its own.
        phone.sendsChat(juliet.jid(), "Call me but love");
        juliet.receivesChat(phone.jid(), "Call me but love");
        await("the laptop's sent carbon").atMost(XmppClient.WAIT).until(() -> onLaptop.stream().anyMatch(c ->
                c.direction() == CarbonExtension.Direction.sent && "Call me but love".equals(c.original().getBody())
                        && juliet.jid().equals(c.original().getTo())));
        assertThat(onPhone).noneMatch(c -> c.direction() == CarbonExtension.Direction.sent);
        assertThat(onLaptop).noneMatch(c -> c.direction() == CarbonExtension.Direction.received);
    }
}
