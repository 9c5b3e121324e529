package im.parley.conformance.muc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.UserStatusListener;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Multi-User Chat (XEP-0045) end to end with Smack's {@link MultiUserChatManager} (smack-extensions
 * 4.4) on two accounts over TCP: the service is found, a room is created and joined, messages go
 * to all, private messages to one, and a moderator kicks.
 */
class Xep0045MultiUserChatTest {

    private static final String SERVICE = "conference." + ParleyServerExtension.DOMAIN;

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("XEP-0045 §6.1, §10.1.2, §7.2, §7.4, §7.5, §8.2: Smack finds the service, creates, joins, talks, kicks")
    void twoAccountsMeetInARoom() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");
        MultiUserChatManager romeoMuc = MultiUserChatManager.getInstanceFor(romeo.connection());
        MultiUserChatManager julietMuc = MultiUserChatManager.getInstanceFor(juliet.connection());

        // §6.1: the service is among the server's items and speaks MUC.
        assertThat(romeoMuc.getMucServiceDomains()).extracting(Jid::toString).containsExactly(SERVICE);
        EntityBareJid address = JidCreate.entityBareFrom("verona@" + SERVICE);

        // §10.1.2: created (status 201), then unlocked as an instant room.
        MultiUserChat romeoRoom = romeoMuc.getMultiUserChat(address);
        romeoRoom.create(Resourcepart.from("romeo")).makeInstant();
        MultiUserChat julietRoom = julietMuc.getMultiUserChat(address);
        List<Message> julietGot = new CopyOnWriteArrayList<>();
        julietRoom.addMessageListener(julietGot::add);
        // §7.2: Smack's join waits for the self-presence (status 110).
        julietRoom.join(Resourcepart.from("juliet"));
        await().atMost(XmppClient.WAIT).until(() -> romeoRoom.getOccupantsCount() == 2);

        // §7.4: to every occupant, from the sender's occupant JID.
        romeoRoom.sendMessage("But soft, what light through yonder window breaks?");
        await().atMost(XmppClient.WAIT).until(() -> julietGot.stream().anyMatch(
                m -> "But soft, what light through yonder window breaks?".equals(m.getBody())));
        assertThat(julietGot.get(julietGot.size() - 1).getFrom().toString()).isEqualTo(address + "/romeo");

        // §7.5: a private message reaches one occupant from the sender's occupant JID, with muc#user.
        List<Stanza> romeoGot = new CopyOnWriteArrayList<>();
        romeo.connection().addAsyncStanzaListener(romeoGot::add,
                stanza -> stanza instanceof Message m && m.getType() == Message.Type.chat);
        juliet.connection().sendStanza(juliet.connection().getStanzaFactory().buildMessageStanza()
                .to(JidCreate.entityFullFrom(address + "/romeo")).ofType(Message.Type.chat).setBody("Romeo?").build());
        await().atMost(XmppClient.WAIT).until(() -> !romeoGot.isEmpty());
        Message pm = (Message) romeoGot.get(0);
        assertThat(pm.getFrom().toString()).isEqualTo(address + "/juliet");
        assertThat(pm.getBody()).isEqualTo("Romeo?");
        assertThat(pm.getExtension(MUCUser.class)).isNotNull();

        // §8.2: the moderator kicks; the kicked occupant learns it with the actor and reason (status 307).
        AtomicReference<String> kickReason = new AtomicReference<>();
        julietRoom.addUserStatusListener(new UserStatusListener() {
            @Override
            public void kicked(Jid actor, String reason) {
                kickReason.set(reason);
            }
        });
        romeoRoom.kickParticipant(Resourcepart.from("juliet"), "banished from Verona");
        await().atMost(XmppClient.WAIT).until(() -> kickReason.get() != null);
        assertThat(kickReason.get()).isEqualTo("banished from Verona");
        await().atMost(XmppClient.WAIT).until(() -> romeoRoom.getOccupantsCount() == 1);
        assertThat(julietRoom.isJoined()).isFalse();
    }
}
