package im.parley.server.modules.muc;

import static im.parley.server.modules.muc.MucScript.ADMIN;
import static im.parley.server.modules.muc.MucScript.OWNER;
import static im.parley.server.modules.muc.MucScript.USER;
import static im.parley.server.modules.muc.MucScript.createInstant;
import static im.parley.server.modules.muc.MucScript.createReserved;
import static im.parley.server.modules.muc.MucScript.errorCondition;
import static im.parley.server.modules.muc.MucScript.item;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
import static im.parley.server.modules.muc.MucScript.send;
import static im.parley.server.modules.muc.MucScript.statusCodes;
import static im.parley.server.modules.muc.MucScript.userX;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.config.ServerAdmins;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moderators, admins and owners (XEP-0045 §8 to §10): kick, voice and voice requests, bans, the
 * affiliation lists, destruction with an alternate venue, mediated invitations (§7.8.2), and the
 * server's admins as owners of every room.
 */
class MucModerationTest {

    private static final String ROOM = "hall@conference.parley.test";

    @TempDir
    Path dir;

    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;
    private TestClient nurse;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir)
                .with(ServerAdmins.ADMINS, List.of("prince@parley.test")));
        server.user("romeo@parley.test").user("juliet@parley.test").user("nurse@parley.test")
                .user("prince@parley.test");
        romeo = server.login("romeo@parley.test", "garden");
        juliet = server.login("juliet@parley.test", "balcony");
        nurse = server.login("nurse@parley.test", "kitchen");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aModeratorKicksWithAReasonAndTheOthersLearnIt() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");
        join(nurse, ROOM + "/nurse", "");
        juliet.received();

        List<Element> answer = send(romeo, "<iq type='set' id='k1' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item nick='nurse' role='none'><reason>Too talkative</reason></item></query></iq>");

        // §8.2: the kicked occupant gets unavailable presence with 307, the actor and the reason; so do the others.
        Element kicked = last(nurse.received(), "presence");
        assertThat(kicked.attributeValue("type")).isEqualTo("unavailable");
        assertThat(statusCodes(kicked)).containsExactly(307, 110);
        assertThat(item(kicked).attributeValue("role")).isEqualTo("none");
        assertThat(item(kicked).element(QName.get("actor", USER)).attributeValue("nick")).isEqualTo("romeo");
        assertThat(item(kicked).elementText(QName.get("reason", USER))).isEqualTo("Too talkative");
        assertThat(statusCodes(last(juliet.received(), "presence"))).containsExactly(307);
        assertThat(last(answer, "iq").attributeValue("type")).isEqualTo("result");
        // §8.2: a participant may not kick.
        assertThat(errorCondition(last(send(juliet, "<iq type='set' id='k2' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item nick='romeo' role='none'/></query></iq>"), "iq"))).isEqualTo("forbidden");
    }

    @Test
    void voiceIsGrantedAndRevokedAndAskedFor() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_moderatedroom", "1");
        join(juliet, ROOM + "/juliet", "");
        romeo.received();

        // §7.13: a visitor asks for voice; the moderators get the request form.
        send(juliet, "<message to='" + ROOM + "'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#request</value></field>"
                + "<field var='muc#role' type='list-single'><value>participant</value></field></x></message>");
        Element request = last(romeo.received(), "message").element(QName.get("x", "jabber:x:data"));
        assertThat(fieldValue(request, "muc#roomnick")).isEqualTo("juliet");
        // §8.6: the moderator approves: the visitor becomes a participant.
        send(romeo, "<message to='" + ROOM + "'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#request</value></field>"
                + "<field var='muc#role'><value>participant</value></field>"
                + "<field var='muc#jid'><value>juliet@parley.test/balcony</value></field>"
                + "<field var='muc#roomnick'><value>juliet</value></field>"
                + "<field var='muc#request_allow'><value>true</value></field></x></message>");
        assertThat(item(last(juliet.received(), "presence")).attributeValue("role")).isEqualTo("participant");

        // §8.4: revoking voice makes a visitor again; §8.3: granting it, a participant.
        send(romeo, "<iq type='set' id='v1' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item nick='juliet' role='visitor'/></query></iq>");
        assertThat(item(last(juliet.received(), "presence")).attributeValue("role")).isEqualTo("visitor");
        send(romeo, "<iq type='set' id='v2' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item nick='juliet' role='participant'/></query></iq>");
        assertThat(item(last(juliet.received(), "presence")).attributeValue("role")).isEqualTo("participant");
        // §8.5: the moderator lists the participants.
        Element list = last(send(romeo, "<iq type='get' id='v3' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item role='participant'/></query></iq>"), "iq");
        assertThat(list.element(QName.get("query", ADMIN)).elements()).extracting(i -> i.attributeValue("nick"))
                .containsExactly("juliet");
    }

    @Test
    void aBanRemovesTheUserAndKeepsThemOutAndTheListsShowIt() {
        createInstant(romeo, ROOM + "/romeo");
        join(nurse, ROOM + "/nurse", "");

        send(romeo, "<iq type='set' id='b1' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item affiliation='outcast' jid='nurse@parley.test'><reason>Treason</reason></item></query></iq>");

        // §9.1: unavailable with 301; the user may not come back.
        Element banned = last(nurse.received(), "presence");
        assertThat(statusCodes(banned)).containsExactly(301, 110);
        assertThat(item(banned).attributeValue("affiliation")).isEqualTo("outcast");
        assertThat(errorCondition(last(join(nurse, ROOM + "/nurse", ""), "presence"))).isEqualTo("forbidden");
        // §9.2: the ban list.
        Element list = last(send(romeo, "<iq type='get' id='b2' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item affiliation='outcast'/></query></iq>"), "iq");
        assertThat(list.element(QName.get("query", ADMIN)).elements()).extracting(i -> i.attributeValue("jid"))
                .containsExactly("nurse@parley.test");
        // §10.7: the only owner may not give up ownership.
        assertThat(errorCondition(last(send(romeo, "<iq type='set' id='b3' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member' jid='romeo@parley.test'/></query></iq>"), "iq"))).isEqualTo("conflict");
    }

    @Test
    void onlyOwnersGrantAdminAndAdminsMayNotBanOwners() {
        createInstant(romeo, ROOM + "/romeo");
        send(romeo, "<iq type='set' id='a1' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item affiliation='admin' jid='juliet@parley.test'/></query></iq>");
        join(juliet, ROOM + "/juliet", "");

        // §10.6: admin is granted by owners; an admin may not make admins or ban an owner.
        assertThat(errorCondition(last(send(juliet, "<iq type='set' id='a2' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='admin' jid='nurse@parley.test'/></query></iq>"), "iq"))).isEqualTo("forbidden");
        // §9.1: "a user cannot be banned by an admin with a lower affiliation": not-allowed.
        assertThat(errorCondition(last(send(juliet, "<iq type='set' id='a3' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='outcast' jid='romeo@parley.test'/></query></iq>"), "iq"))).isEqualTo("not-allowed");
        // §10.5, §10.8: the owner and admin lists are the owners' to see.
        assertThat(errorCondition(last(send(juliet, "<iq type='get' id='a5' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='owner'/></query></iq>"), "iq"))).isEqualTo("forbidden");
        assertThat(errorCondition(last(send(juliet, "<iq type='get' id='a6' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='admin'/></query></iq>"), "iq"))).isEqualTo("forbidden");
        // §9.3: an admin grants membership.
        assertThat(last(send(juliet, "<iq type='set' id='a4' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member' jid='nurse@parley.test'/></query></iq>"), "iq").attributeValue("type"))
                .isEqualTo("result");
    }

    private List<Element> admin(TestClient client, String items) {
        return send(client, "<iq type='set' id='x' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>" + items
                + "</query></iq>");
    }

    @Test
    void noOneBansThemselvesAndAnAdminsVoiceStays_xep0045_9_1_8_4_9_7() {
        createInstant(romeo, ROOM + "/romeo");
        admin(romeo, "<item affiliation='admin' jid='juliet@parley.test'/><item affiliation='owner' jid='nurse@parley.test'/>");
        join(juliet, ROOM + "/juliet", "");
        romeo.received();

        // §9.1: "If an admin or owner attempts to ban himself, the service MUST deny the request and return a
        // <conflict/> error", even an owner who is not the last one.
        assertThat(errorCondition(last(admin(juliet, "<item affiliation='outcast' jid='juliet@parley.test'/>"), "iq")))
                .isEqualTo("conflict");
        assertThat(errorCondition(last(admin(romeo, "<item affiliation='outcast' jid='romeo@parley.test'/>"), "iq")))
                .isEqualTo("conflict");

        // §8.4, §9.7: the voice and moderator role of an admin or owner are not revoked, not even by an owner.
        assertThat(errorCondition(last(admin(romeo, "<item nick='juliet' role='participant'/>"), "iq")))
                .isEqualTo("not-allowed");
        assertThat(errorCondition(last(admin(juliet, "<item nick='romeo' role='visitor'/>"), "iq")))
                .isEqualTo("not-allowed");

        // A request with one item refused is refused whole: the items before it are not applied.
        assertThat(errorCondition(last(admin(romeo, "<item affiliation='member' jid='prince@parley.test'/>"
                + "<item nick='juliet' role='participant'/>"), "iq"))).isEqualTo("not-allowed");
        Element members = last(send(romeo, "<iq type='get' id='m' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item affiliation='member'/></query></iq>"), "iq");
        assertThat(members.element(QName.get("query", ADMIN)).elements()).isEmpty();
        Element moderators = last(send(romeo, "<iq type='get' id='m' to='" + ROOM + "'><query xmlns='" + ADMIN + "'>"
                + "<item role='moderator'/></query></iq>"), "iq");
        assertThat(moderators.element(QName.get("query", ADMIN)).elements()).extracting(i -> i.attributeValue("nick"))
                .contains("juliet");
    }

    private List<Element> configure(TestClient owner, String fields) {
        return send(owner, "<iq type='set' id='c' to='" + ROOM + "'><query xmlns='" + OWNER + "'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
                + "http://jabber.org/protocol/muc#roomconfig</value></field>" + fields + "</x></query></iq>");
    }

    @Test
    void theConfigurationFormCarriesTheOwnerAndAdminListsWhole_xep0045_10_2() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");
        romeo.received();

        Element form = last(send(romeo, "<iq type='get' id='f' to='" + ROOM + "'><query xmlns='" + OWNER
                + "'/></iq>"), "iq").element(QName.get("query", OWNER)).element(QName.get("x", "jabber:x:data"));
        assertThat(form.elements("field")).filteredOn(f -> "muc#roomconfig_roomowners".equals(f.attributeValue("var")))
                .singleElement().satisfies(f -> {
                    assertThat(f.attributeValue("type")).isEqualTo("jid-multi");
                    assertThat(f.elementText("value")).isEqualTo("romeo@parley.test");
                });

        // The admins' list is the whole list: Juliet gains admin, and everyone sees her new affiliation.
        List<Element> seenByOwner = configure(romeo, "<field var='muc#roomconfig_roomadmins'><value>juliet@parley.test"
                + "</value></field>");
        assertThat(last(seenByOwner, "iq").attributeValue("type")).isEqualTo("result");
        assertThat(item(last(seenByOwner, "presence")).attributeValue("affiliation")).isEqualTo("admin");
        assertThat(item(last(juliet.received(), "presence")).attributeValue("affiliation")).isEqualTo("admin");

        // An empty owners' list would leave the room without owner: conflict, and nothing changes.
        assertThat(errorCondition(last(configure(romeo, "<field var='muc#roomconfig_roomowners'/>"
                + "<field var='muc#roomconfig_roomname'><value>Renamed</value></field>"), "iq"))).isEqualTo("conflict");

        // Juliet made owner, then left out of the owners: she is an admin again (§10.2).
        configure(romeo, "<field var='muc#roomconfig_roomowners'><value>romeo@parley.test</value>"
                + "<value>juliet@parley.test</value></field>");
        assertThat(item(last(juliet.received(), "presence")).attributeValue("affiliation")).isEqualTo("owner");
        configure(romeo, "<field var='muc#roomconfig_roomowners'><value>romeo@parley.test</value></field>");
        assertThat(item(last(juliet.received(), "presence")).attributeValue("affiliation")).isEqualTo("admin");
        // Left out of the admins, she is a member.
        configure(romeo, "<field var='muc#roomconfig_roomadmins'/>");
        assertThat(item(last(juliet.received(), "presence")).attributeValue("affiliation")).isEqualTo("member");
    }

    @Test
    void aRoomMadeMembersOnlyRemovesItsNonMembersWith322_xep0045_10_2() {
        createInstant(romeo, ROOM + "/romeo");
        admin(romeo, "<item affiliation='member' jid='juliet@parley.test'/>");
        join(juliet, ROOM + "/juliet", "");
        join(nurse, ROOM + "/nurse", "");
        romeo.received();
        juliet.received();

        List<Element> seenByOwner = configure(romeo, "<field var='muc#roomconfig_membersonly'><value>1</value></field>");
        assertThat(last(seenByOwner, "iq").attributeValue("type")).isEqualTo("result");

        Element removed = last(nurse.received(), "presence");
        assertThat(removed.attributeValue("type")).isEqualTo("unavailable");
        assertThat(statusCodes(removed)).containsExactly(322, 110);
        assertThat(MucScript.named(juliet.received(), "presence")).singleElement().satisfies(p -> {
            assertThat(p.attributeValue("from")).isEqualTo(ROOM + "/nurse");
            assertThat(statusCodes(p)).containsExactly(322);
        });
        assertThat(statusCodes(last(seenByOwner, "presence"))).containsExactly(322);
    }

    @Test
    void destroyingARoomTellsTheOccupantsOfTheAlternateVenue() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");

        send(romeo, "<iq type='set' id='d1' to='" + ROOM + "'><query xmlns='" + OWNER + "'>"
                + "<destroy jid='chapel@conference.parley.test'><reason>Moving</reason></destroy></query></iq>");

        // §10.9: unavailable with <destroy/> naming the alternate venue and the reason.
        Element gone = last(juliet.received(), "presence");
        assertThat(gone.attributeValue("type")).isEqualTo("unavailable");
        Element destroy = userX(gone).element(QName.get("destroy", USER));
        assertThat(destroy.attributeValue("jid")).isEqualTo("chapel@conference.parley.test");
        assertThat(destroy.elementText(QName.get("reason", USER))).isEqualTo("Moving");
        assertThat(errorCondition(last(send(juliet, "<message type='groupchat' to='" + ROOM + "'><body>x</body>"
                + "</message>"), "message"))).isEqualTo("item-not-found");
    }

    @Test
    void anInvitationIsRelayedByTheRoomAndADeclineReturnsToTheInviter() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_membersonly", "1");
        // The invitation goes to the invitee's bare JID: to its available resources (RFC 6121 §8.5.2.1.1).
        juliet.send("<presence/>");

        send(romeo, "<message to='" + ROOM + "'><x xmlns='" + USER + "'><invite to='juliet@parley.test'>"
                + "<reason>Come!</reason></invite></x></message>");

        // §7.8.2: from the room, naming the inviter; in a members-only room the invitee becomes a member.
        Element invitation = last(juliet.received(), "message");
        assertThat(invitation.attributeValue("from")).isEqualTo(ROOM);
        Element invite = userX(invitation).element(QName.get("invite", USER));
        assertThat(invite.attributeValue("from")).isEqualTo("romeo@parley.test/garden");
        assertThat(invite.elementText(QName.get("reason", USER))).isEqualTo("Come!");
        assertThat(statusCodes(last(join(juliet, ROOM + "/juliet", ""), "presence"))).contains(110);

        romeo.send("<presence/>");
        send(nurse, "<message to='" + ROOM + "'><x xmlns='" + USER + "'><decline to='romeo@parley.test'>"
                + "<reason>Busy</reason></decline></x></message>");
        Element decline = userX(last(romeo.received(), "message")).element(QName.get("decline", USER));
        assertThat(decline.attributeValue("from")).isEqualTo("nurse@parley.test");
        assertThat(decline.elementText(QName.get("reason", USER))).isEqualTo("Busy");
    }

    @Test
    void theServersAdminsOwnEveryRoom() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_membersonly", "1");
        TestClient prince = server.login("prince@parley.test", "palace");

        // The top-level `admins` are owners of every room (as Prosody's admins are).
        Element self = last(join(prince, ROOM + "/prince", ""), "presence");
        assertThat(item(self).attributeValue("affiliation")).isEqualTo("owner");
        assertThat(last(send(prince, "<iq type='get' id='o1' to='" + ROOM + "'><query xmlns='" + OWNER + "'/></iq>"),
                "iq").attributeValue("type")).isEqualTo("result");
    }

    private static String fieldValue(Element form, String var) {
        return form.elements("field").stream().filter(f -> var.equals(f.attributeValue("var")))
                .map(f -> f.elementText("value")).findFirst().orElseThrow();
    }
}
