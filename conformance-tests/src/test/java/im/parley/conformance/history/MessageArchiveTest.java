package im.parley.conformance.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.SmackClients;
import im.parley.conformance.XmppClient;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.MamManager.MamQuery;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * Message Archive Management (XEP-0313) with Smack's MamManager, as a client uses it after a
 * reconnect: the conversation is in the archive, paged through in both directions.
 */
class MessageArchiveTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    private static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::getBody).toList();
    }

    @Test
    @DisplayName("XEP-0313 §4 and §4.3: history after a reconnect, paged backwards from the last page and forwards")
    void historyAfterAReconnectPagedBothWays() throws Exception {
        EntityBareJid romeo = parley.newAccount("romeo");
        XmppClient laptop = parley.connect(SmackClients.startTls(parley, romeo, ParleyServerExtension.PASSWORD, "laptop"));
        XmppClient juliet = parley.loggedIn("juliet");
        for (int i = 1; i <= 5; i++) {
            if (i % 2 == 1) {
                juliet.sendsChat(romeo, "m" + i);
                Message received = laptop.receivesChat(juliet.jid(), "m" + i);
                // XEP-0359 §3: the archiving server stamps the message it archives.
                assertThat(StanzaIdElement.getStanzaId(received)).isNotNull()
                        .satisfies(id -> assertThat(id.getBy()).isEqualTo(romeo.toString()));
            } else {
                laptop.sendsChat(juliet.jid(), "m" + i);
                juliet.receivesChat(laptop.jid(), "m" + i);
            }
        }
        laptop.close();

        XmppClient phone = parley.connect(SmackClients.startTls(parley, romeo, ParleyServerExtension.PASSWORD, "phone"));
        MamManager mam = MamManager.getInstanceFor(phone.connection());
        assertThat(mam.isSupported()).as("§7: urn:xmpp:mam:2 on the account").isTrue();
        await("all five archived").atMost(XmppClient.WAIT).until(() ->
                mam.queryArchive(MamQueryArgs.builder().onlyReturnMessageCount().build()).getPage().getMamFinIq().getRSMSet().getCount() == 5);

        // §4.3.3: the last page first, then the pages before it.
        MamQuery last = mam.queryArchive(MamQueryArgs.builder().queryLastPage().setResultPageSizeTo(2).build());
        assertThat(bodies(last.getMessages())).containsExactly("m4", "m5");
        assertThat(bodies(last.pagePrevious(2))).containsExactly("m2", "m3");
        assertThat(bodies(last.pagePrevious(2))).containsExactly("m1");
        assertThat(last.isComplete()).isTrue();

        // §4.3.2: from the oldest forwards.
        MamQuery first = mam.queryArchive(MamQueryArgs.builder().setResultPageSizeTo(2).build());
        assertThat(bodies(first.getMessages())).containsExactly("m1", "m2");
        assertThat(first.isComplete()).isFalse();
        assertThat(bodies(first.pageNext(2))).containsExactly("m3", "m4");
        assertThat(bodies(first.pageNext(2))).containsExactly("m5");
        assertThat(first.isComplete()).isTrue();

        // §4.1.1: only the conversation with Juliet, here all of it.
        MamQuery withJuliet = mam.queryArchive(MamQueryArgs.builder().limitResultsToJid(juliet.bareJid()).build());
        assertThat(bodies(withJuliet.getMessages())).containsExactly("m1", "m2", "m3", "m4", "m5");
    }
}
