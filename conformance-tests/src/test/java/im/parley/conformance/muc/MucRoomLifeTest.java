package im.parley.conformance.muc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.server.modules.muc.MucModule;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.packet.MUCItem;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * What a room keeps and says over its life, end to end with Smack's {@link MultiUserChatManager}
 * (and its MAM manager) over TCP: registration approved by an admin (XEP-0045 §7.10, §9.9), the
 * warning that a room is logged (§7.2.12, §10.2.1), an idle room unloaded and loaded again as it
 * was, and a room's messages archived (group-committed) in order before anyone gets them
 * (XEP-0313, XEP-0359). Idle rooms unload after a second here.
 */
class MucRoomLifeTest {

    private static final String SERVICE = "conference." + ParleyServerExtension.DOMAIN;
    private static final String REGISTER_FORM = "http://jabber.org/protocol/muc#register";

    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.configured(
            config -> config.with(MucModule.UNLOAD_AFTER, Duration.ofSeconds(1)));

    @Test
    @DisplayName("XEP-0045 §7.10, §9.9: a registration with a members-only room waits for an admin, who approves it")
    void anAdminApprovesARegistration() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");
        EntityBareJid address = JidCreate.entityBareFrom("capulets@" + SERVICE);
        MultiUserChat romeoRoom = MultiUserChatManager.getInstanceFor(romeo.connection()).getMultiUserChat(address);
        romeoRoom.create(Resourcepart.from("romeo"));
        FillableForm config = romeoRoom.getConfigurationForm().getFillableForm();
        config.setAnswer("muc#roomconfig_membersonly", true);
        romeoRoom.sendConfigurationForm(config);
        List<Message> requests = new CopyOnWriteArrayList<>();
        romeo.connection().addAsyncStanzaListener(stanza -> requests.add((Message) stanza),
                stanza -> stanza instanceof Message m && address.equals(m.getFrom()) && DataForm.from(m) != null);
        List<Message> answers = new CopyOnWriteArrayList<>();
        juliet.connection().addAsyncStanzaListener(stanza -> answers.add((Message) stanza),
                stanza -> stanza instanceof Message m && address.equals(m.getFrom()) && MUCUser.from(m) != null);

        // §7.10: Juliet submits the room's registration form; the room received it.
        MultiUserChat julietRoom = MultiUserChatManager.getInstanceFor(juliet.connection()).getMultiUserChat(address);
        FillableForm registration = julietRoom.getRegistrationForm().getFillableForm();
        registration.setAnswer("muc#register_roomnick", "Juliet");
        julietRoom.sendRegistrationForm(registration);
        assertThat(julietRoom.getReservedNickname()).as("not before an admin approves").isNull();

        // §9.9: the admin gets the approval form, naming Juliet, and submits it allowing her.
        await().atMost(XmppClient.WAIT).until(() -> !requests.isEmpty());
        DataForm request = DataForm.from(requests.get(0));
        assertThat(request.getField("muc#register_roomnick").getFirstValue()).isEqualTo("Juliet");
        String requester = request.getField("muc#jid").getFirstValue();
        assertThat(requester).isEqualTo(juliet.connection().getUser().asBareJid().toString());
        romeo.connection().sendStanza(romeo.connection().getStanzaFactory().buildMessageStanza().to(address)
                .addExtension(StandardExtensionElement.builder("x", "jabber:x:data").addAttribute("type", "submit")
                        .addElement(field("FORM_TYPE", REGISTER_FORM)).addElement(field("muc#jid", requester))
                        .addElement(field("muc#register_allow", "1")).build())
                .build());

        // Juliet is told she is a member (as §9.3 tells a user who is not in the room), the nick is hers.
        await().atMost(XmppClient.WAIT).until(() -> !answers.isEmpty());
        MUCItem item = MUCUser.from(answers.get(0)).getItem();
        assertThat(item.getAffiliation().name()).isEqualTo("member");
        assertThat(julietRoom.getReservedNickname()).isEqualTo("Juliet");
        julietRoom.join(Resourcepart.from("Juliet"));
        assertThat(julietRoom.isJoined()).isTrue();
    }

    @Test
    @DisplayName("XEP-0045 §7.2.12, §10.2.1: a logged room says so on entering (170) and when logging stops (171)")
    void aLoggedRoomSaysSo() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");
        EntityBareJid address = JidCreate.entityBareFrom("chronicle@" + SERVICE);
        MultiUserChat romeoRoom = createPersistent(romeo, address);
        List<MUCUser> seen = new CopyOnWriteArrayList<>();
        juliet.connection().addAsyncStanzaListener(stanza -> seen.add(MUCUser.from(stanza)),
                stanza -> (stanza instanceof Presence || stanza instanceof Message)
                        && stanza.getFrom().asBareJid().equals(address) && MUCUser.from(stanza) != null
                        && MUCUser.from(stanza).hasStatus());

        MultiUserChatManager.getInstanceFor(juliet.connection()).getMultiUserChat(address)
                .join(Resourcepart.from("juliet"));
        await().atMost(XmppClient.WAIT).until(() -> seen.stream().anyMatch(x -> x.getStatus().contains(
                MUCUser.Status.PRESENCE_TO_SELF_110)));
        assertThat(seen.get(0).getStatus()).contains(MUCUser.Status.create(170));

        FillableForm config = romeoRoom.getConfigurationForm().getFillableForm();
        config.setAnswer("muc#roomconfig_enablearchiving", false);
        romeoRoom.sendConfigurationForm(config);
        await().atMost(XmppClient.WAIT).until(() -> seen.stream().anyMatch(x -> x.getStatus().contains(
                MUCUser.Status.create(171))));
    }

    @Test
    @DisplayName("An idle persistent room leaves memory and comes back with its name, subject, history and archive")
    void anIdleRoomComesBackAsItWas() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");
        EntityBareJid address = JidCreate.entityBareFrom("orchard@" + SERVICE);
        MultiUserChat romeoRoom = createPersistent(romeo, address);
        romeoRoom.changeSubject("Moonlight");
        romeoRoom.sendMessage("With love's light wings");
        await().atMost(XmppClient.WAIT).until(() -> romeoRoom.nextMessage(100) != null);
        romeoRoom.leave();

        await().atMost(XmppClient.WAIT).until(() -> loadedRooms() == 0);

        MultiUserChat julietRoom = MultiUserChatManager.getInstanceFor(juliet.connection()).getMultiUserChat(address);
        List<Message> got = new CopyOnWriteArrayList<>();
        julietRoom.addMessageListener(got::add);
        julietRoom.join(Resourcepart.from("juliet"));
        await().atMost(XmppClient.WAIT).until(() -> "Moonlight".equals(julietRoom.getSubject()));
        await().atMost(XmppClient.WAIT).until(() -> got.stream().anyMatch(m -> "With love's light wings".equals(
                m.getBody())));
        assertThat(MultiUserChatManager.getInstanceFor(juliet.connection()).getRoomInfo(address).isPersistent())
                .isTrue();
        assertThat(MamManager.getInstanceFor(julietRoom).queryMostRecentPage(null, 10).getMessages())
                .extracting(Message::getBody).containsExactly("With love's light wings");
    }

    @Test
    @DisplayName("XEP-0313 on the room: messages of two rooms sent at once are all archived, each room's in order")
    void messagesOfBusyRoomsAreArchivedInOrder() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");
        MultiUserChat first = createPersistent(romeo, JidCreate.entityBareFrom("east@" + SERVICE));
        MultiUserChat second = createPersistent(juliet, JidCreate.entityBareFrom("west@" + SERVICE));
        List<String> sent = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 40; i++) {
            first.sendMessage("east " + i);
            second.sendMessage("west " + i);
            sent.add("east " + i);
        }
        List<String> echoed = new CopyOnWriteArrayList<>();
        await().atMost(XmppClient.WAIT).until(() -> {
            for (Message message = first.pollMessage(); message != null; message = first.pollMessage()) {
                if (message.getBody() != null) {
                    echoed.add(message.getBody());
                }
            }
            return echoed.size() == sent.size();
        });
        assertThat(echoed).containsExactlyElementsOf(sent);
        assertThat(MamManager.getInstanceFor(first).queryMostRecentPage(null, 100).getMessages())
                .extracting(Message::getBody).containsExactlyElementsOf(sent);
        assertThat(MamManager.getInstanceFor(second).queryMostRecentPage(null, 100).getMessages()).hasSize(40);
    }

    private static MultiUserChat createPersistent(XmppClient owner, EntityBareJid address) throws Exception {
        MultiUserChat room = MultiUserChatManager.getInstanceFor(owner.connection()).getMultiUserChat(address);
        room.create(Resourcepart.from("owner"));
        FillableForm config = room.getConfigurationForm().getFillableForm();
        config.setAnswer("muc#roomconfig_persistentroom", true);
        room.sendConfigurationForm(config);
        return room;
    }

    private static double loadedRooms() {
        Gauge gauge = parley.server().metrics().registry().find("parley.muc.rooms.loaded").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static StandardExtensionElement field(String var, String value) {
        return StandardExtensionElement.builder("field", "jabber:x:data").addAttribute("var", var)
                .addElement("value", value).build();
    }
}
