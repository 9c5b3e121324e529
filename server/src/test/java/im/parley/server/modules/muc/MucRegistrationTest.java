package im.parley.server.modules.muc;

import static im.parley.server.modules.XmppScript.iq;
import static im.parley.server.modules.muc.MucScript.ADMIN;
import static im.parley.server.modules.muc.MucScript.createInstant;
import static im.parley.server.modules.muc.MucScript.createReserved;
import static im.parley.server.modules.muc.MucScript.errorCondition;
import static im.parley.server.modules.muc.MucScript.item;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
import static im.parley.server.modules.muc.MucScript.named;
import static im.parley.server.modules.muc.MucScript.send;
import static im.parley.server.modules.muc.MucScript.statusCodes;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
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
 * Registering a nickname with a room (XEP-0045 §7.10) and discovering it (§7.12): the
 * {@code jabber:iq:register} form, the reservation against everyone else, membership, members-only
 * rooms, and a persistent room's registrations across a restart.
 */
class MucRegistrationTest {

    private static final String ROOM = "garden@conference.parley.test";
    private static final String REGISTER = "jabber:iq:register";
    private static final String DATA = "jabber:x:data";
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";

    @TempDir
    Path dir;

    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;
    private TestClient nurse;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(config());
        server.user("romeo@parley.test").user("juliet@parley.test").user("nurse@parley.test");
        login();
    }

    private ParleyConfig config() {
        return ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir);
    }

    private void login() throws Exception {
        romeo = server.login("romeo@parley.test", "garden");
        juliet = server.login("juliet@parley.test", "balcony");
        nurse = server.login("nurse@parley.test", "kitchen");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theRoomOffersTheRegistrationFormWithTheRoomNickname() {
        createInstant(romeo, ROOM + "/romeo");
        // Clients look for registration among the room's features before they offer it (§6.4).
        Element info = iq(juliet, "<iq type='get' id='d1' to='" + ROOM + "'><query xmlns='" + DISCO_INFO + "'/></iq>")
                .element(QName.get("query", DISCO_INFO));
        assertThat(info.elements("feature")).extracting(f -> f.attributeValue("var")).contains(REGISTER);

        // §7.10: "the room MUST then return a Data Form", FORM_TYPE muc#register (§15.5.2).
        Element query = iq(juliet, "<iq type='get' id='r1' to='" + ROOM + "'><query xmlns='" + REGISTER + "'/></iq>")
                .element(QName.get("query", REGISTER));
        Element form = query.element(QName.get("x", DATA));
        assertThat(form.attributeValue("type")).isEqualTo("form");
        assertThat(fieldValue(form, "FORM_TYPE")).isEqualTo("http://jabber.org/protocol/muc#register");
        Element nick = field(form, "muc#register_roomnick");
        assertThat(nick.element("required")).isNotNull();
        assertThat(query.element("registered")).isNull();
    }

    @Test
    void aRegisteredNicknameIsReservedForItsOwnerWhoBecomesAMember() {
        createInstant(romeo, ROOM + "/romeo");

        // §7.10: the submitted form is acknowledged with a result.
        assertThat(register(juliet, "Juliet").attributeValue("type")).isEqualTo("result");

        // §7.10: "MAY immediately add the user to the member list".
        Element members = iq(romeo, "<iq type='get' id='m1' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member'/></query></iq>").element(QName.get("query", ADMIN));
        assertThat(members.elements("item")).extracting(i -> i.attributeValue("jid"))
                .containsExactly("juliet@parley.test");
        // §9.5, Example 107: the member list carries the member's reserved nickname.
        assertThat(members.elements("item").get(0).attributeValue("nick")).isEqualTo("Juliet");
        assertThat(members.elements("item").get(0).attributeValue("role")).isNull();
        // §7.12: "If another user attempts to join the room with a nickname reserved by the first user,
        // the service MUST deny entry to the second user and return a <conflict/> error".
        assertThat(errorCondition(last(join(nurse, ROOM + "/Juliet", ""), "presence"))).isEqualTo("conflict");
        // §7.10: registering a nickname already reserved is a conflict too.
        assertThat(errorCondition(register(nurse, "Juliet"))).isEqualTo("conflict");
        // Nor may an occupant take it by a nick change (§7.6).
        join(nurse, ROOM + "/nurse", "");
        assertThat(errorCondition(last(send(nurse, "<presence to='" + ROOM + "/Juliet'/>"), "presence")))
                .isEqualTo("conflict");
        // The owner of the reservation enters with it, as a member.
        Element self = last(join(juliet, ROOM + "/Juliet", ""), "presence");
        assertThat(statusCodes(self)).contains(110);
        assertThat(item(self).attributeValue("affiliation")).isEqualTo("member");
        // §9.5: and, while the member is an occupant, its role.
        // (romeo, in the room, also gets the presences of those who tried and entered it.)
        Element present = last(send(romeo, "<iq type='get' id='m2' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member'/></query></iq>"), "iq").element(QName.get("query", ADMIN)).element("item");
        assertThat(present.attributeValue("nick")).isEqualTo("Juliet");
        assertThat(present.attributeValue("role")).isEqualTo("participant");
    }

    @Test
    void aUserDiscoversTheNicknameItRegistered() {
        createInstant(romeo, ROOM + "/romeo");
        // §7.12: without a registration, "the room MUST return a service discovery <query/> element that is empty".
        Element none = reservedNick(juliet);
        assertThat(none.elements()).isEmpty();
        assertThat(none.attributeValue("node")).isEqualTo("x-roomuser-item");

        register(juliet, "Juliet");

        // §7.12: the nickname is "the value of the 'name' attribute of a Service Discovery <identity/>
        // element (for which the category/type SHOULD be "conference/text")".
        Element identity = reservedNick(juliet).element("identity");
        assertThat(identity.attributeValue("category")).isEqualTo("conference");
        assertThat(identity.attributeValue("type")).isEqualTo("text");
        assertThat(identity.attributeValue("name")).isEqualTo("Juliet");
        // §7.10 with XEP-0077 §3.1: a registered user's request for the form says so.
        Element query = iq(juliet, "<iq type='get' id='r2' to='" + ROOM + "'><query xmlns='" + REGISTER + "'/></iq>")
                .element(QName.get("query", REGISTER));
        assertThat(query.element("registered")).isNotNull();
        assertThat(fieldValue(query.element(QName.get("x", DATA)), "muc#register_roomnick")).isEqualTo("Juliet");
    }

    @Test
    void anOccupantThatRegistersIsAnnouncedAsAMember() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");

        register(juliet, "juliet");

        // §7.10: "If the service changes the user's affiliation and the user is in the room, it MUST send
        // updated presence from this individual to all occupants".
        Element seen = last(named(romeo.stanzas(), "presence"), "presence");
        assertThat(seen.attributeValue("from")).isEqualTo(ROOM + "/juliet");
        assertThat(item(seen).attributeValue("affiliation")).isEqualTo("member");
        assertThat(item(seen).attributeValue("role")).isEqualTo("participant");
    }

    @Test
    void aMembersOnlyRoomAsksItsAdminsToApproveARegistration() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_membersonly", "1");
        send(juliet, "<presence/>");
        juliet.received();

        // §7.10: the form is offered; the submission "MAY [be] approved by a room admin/owner"
        // (§9.9) instead of making the user a member at once, which would let anyone in.
        assertThat(iq(juliet, "<iq type='get' id='r1' to='" + ROOM + "'><query xmlns='" + REGISTER
                + "'/></iq>").attributeValue("type")).isEqualTo("result");
        assertThat(register(juliet, "Juliet").attributeValue("type")).as("the request was received").isEqualTo("result");
        assertThat(reservedNick(juliet).elements()).as("not registered before the approval").isEmpty();
        assertThat(errorCondition(last(join(juliet, ROOM + "/Juliet", ""), "presence")))
                .isEqualTo("registration-required");

        // §9.9: "the service [sends] a message stanza to the room admin(s) ... [with] a Data Form
        // asking for approval or denial of the request", naming the requester and the nickname.
        Element request = last(romeo.received(), "message");
        assertThat(request.attributeValue("from")).isEqualTo(ROOM);
        Element form = request.element(QName.get("x", DATA));
        assertThat(fieldValue(form, "FORM_TYPE")).isEqualTo("http://jabber.org/protocol/muc#register");
        assertThat(fieldValue(form, "muc#jid")).isEqualTo("juliet@parley.test");
        assertThat(fieldValue(form, "muc#register_roomnick")).isEqualTo("Juliet");
        assertThat(fieldValue(form, "muc#register_allow")).isEqualTo("0");

        // "If the admin approves the registration request, the service shall register the user".
        send(romeo, answer("juliet@parley.test", true));
        Element approved = last(juliet.received(), "message");
        assertThat(approved.attributeValue("from")).isEqualTo(ROOM);
        assertThat(item(approved).attributeValue("affiliation")).isEqualTo("member");
        assertThat(reservedNick(juliet).element("identity").attributeValue("name")).isEqualTo("Juliet");
        assertThat(statusCodes(last(join(juliet, ROOM + "/Juliet", ""), "presence"))).contains(110);
    }

    @Test
    void anAdminDeniesARequestAndOnlyAdminsAnswer() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_membersonly", "1");
        send(nurse, "<presence/>");
        nurse.received();
        register(nurse, "Nurse");
        romeo.received();

        // Someone who is not an admin cannot decide a request.
        assertThat(errorCondition(last(send(juliet, answer("nurse@parley.test", true)), "message")))
                .isEqualTo("forbidden");

        send(romeo, answer("nurse@parley.test", false));
        assertThat(last(nurse.received(), "message").elementText("body")).contains("denied");
        assertThat(errorCondition(last(join(nurse, ROOM + "/Nurse", ""), "presence")))
                .isEqualTo("registration-required");
        // The request is decided: answering it again finds none.
        assertThat(errorCondition(last(send(romeo, answer("nurse@parley.test", true)), "message")))
                .isEqualTo("item-not-found");
    }

    @Test
    void aRequestWaitsAcrossARestartAndMembersRegisterAtOnce() throws Exception {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_membersonly", "1",
                "muc#roomconfig_persistentroom", "1");
        register(nurse, "Nurse");
        assertThat(named(romeo.received(), "message")).as("the owner is asked").hasSize(1);
        iq(romeo, "<iq type='set' id='m1' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member' jid='juliet@parley.test'/></query></iq>");
        assertThat(register(juliet, "Juliet").attributeValue("type")).isEqualTo("result");
        assertThat(reservedNick(juliet).element("identity").attributeValue("name")).as("a member registers at once")
                .isEqualTo("Juliet");

        server.close();
        server = new TestServer(config());
        login();
        // The waiting request was kept (the form shows the nickname asked for); asking again
        // replaces it, and an owner who is not in the room finds the form among its offline messages.
        Element kept = iq(nurse, "<iq type='get' id='r2' to='" + ROOM + "'><query xmlns='" + REGISTER + "'/></iq>")
                .element(QName.get("query", REGISTER));
        assertThat(fieldValue(kept.element(QName.get("x", DATA)), "muc#register_roomnick")).isEqualTo("Nurse");
        register(nurse, "Nursie");
        List<Element> offline = send(romeo, "<presence/>");
        Element form = last(offline, "message").element(QName.get("x", DATA));
        assertThat(fieldValue(form, "muc#jid")).isEqualTo("nurse@parley.test");
        assertThat(fieldValue(form, "muc#register_roomnick")).isEqualTo("Nursie");

        send(romeo, answer("nurse@parley.test", true));
        assertThat(reservedNick(nurse).element("identity").attributeValue("name")).isEqualTo("Nursie");
    }

    @Test
    void aFormWithoutANicknameIsABadRequestAndABannedUserMayNotRegister() {
        createInstant(romeo, ROOM + "/romeo");

        // §7.10: "If the user did not include a valid data form, the room MUST return a <bad-request/> error".
        assertThat(errorCondition(iq(juliet, "<iq type='set' id='r1' to='" + ROOM + "'><query xmlns='" + REGISTER
                + "'><x xmlns='" + DATA + "' type='submit'/></query></iq>"))).isEqualTo("bad-request");

        iq(romeo, "<iq type='set' id='b1' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='outcast' jid='nurse@parley.test'/></query></iq>");
        assertThat(errorCondition(register(nurse, "Nurse"))).isEqualTo("not-allowed");
    }

    @Test
    void aPersistentRoomKeepsItsRegistrationsAcrossARestart() throws Exception {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        register(juliet, "Juliet");

        server.close();
        server = new TestServer(config());
        login();

        assertThat(reservedNick(juliet).element("identity").attributeValue("name")).isEqualTo("Juliet");
        assertThat(errorCondition(last(join(nurse, ROOM + "/Juliet", ""), "presence"))).isEqualTo("conflict");
        // Revoking the membership ends the reservation (it is kept with the affiliation).
        iq(romeo, "<iq type='set' id='m2' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='none' jid='juliet@parley.test'/></query></iq>");
        assertThat(reservedNick(juliet).elements()).isEmpty();
        assertThat(statusCodes(last(join(nurse, ROOM + "/Juliet", ""), "presence"))).contains(110);
    }

    @Test
    void membersOfAPrivateGroupChatReadWhoBelongsToIt_xep0045_9_5() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_membersonly", "1", "muc#roomconfig_whois", "anyone");
        iq(romeo, "<iq type='set' id='m1' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member' jid='juliet@parley.test' nick='Juliet'/></query></iq>");

        // A member of a members-only, non-anonymous room reads the member and owner lists (whom
        // OMEMO clients encrypt for); the ban list stays the admins'.
        Element members = iq(juliet, "<iq type='get' id='l1' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member'/></query></iq>").element(QName.get("query", ADMIN));
        assertThat(members.elements("item")).extracting(i -> i.attributeValue("jid")).containsExactly("juliet@parley.test");
        Element owners = iq(juliet, "<iq type='get' id='l2' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='owner'/></query></iq>").element(QName.get("query", ADMIN));
        assertThat(owners.elements("item")).extracting(i -> i.attributeValue("jid"), i -> i.attributeValue("role"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("romeo@parley.test", "moderator"));
        assertThat(errorCondition(iq(juliet, "<iq type='get' id='l3' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='outcast'/></query></iq>"))).isEqualTo("forbidden");
        // Someone who is not a member does not.
        assertThat(errorCondition(iq(nurse, "<iq type='get' id='l4' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member'/></query></iq>"))).isEqualTo("forbidden");

        // In a semi-anonymous room the lists are the admins' (§9.5, §10.5).
        // (romeo, in the room, also gets the configuration change's status message, §10.2.1.)
        send(romeo, "<iq type='set' id='c2' to='" + ROOM + "'><query xmlns='" + MucScript.OWNER + "'><x xmlns='"
                + DATA + "' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig"
                + "</value></field><field var='muc#roomconfig_whois'><value>moderators</value></field></x></query></iq>");
        assertThat(errorCondition(iq(juliet, "<iq type='get' id='l5' to='" + ROOM + "'><query xmlns='" + ADMIN
                + "'><item affiliation='member'/></query></iq>"))).isEqualTo("forbidden");
    }

    /** The room's answer to a registration (an occupant also gets its own updated presence). */
    private static Element register(TestClient client, String nick) {
        return last(send(client, "<iq type='set' id='reg' to='" + ROOM + "'><query xmlns='" + REGISTER + "'><x xmlns='"
                + DATA + "' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#register"
                + "</value></field><field var='muc#register_roomnick'><value>" + nick + "</value></field></x>"
                + "</query></iq>"), "iq");
    }

    /** An admin's answer to a registration request (§9.9): the submitted muc#register form. */
    private static String answer(String user, boolean allow) {
        return "<message to='" + ROOM + "'><x xmlns='" + DATA + "' type='submit'><field var='FORM_TYPE'><value>"
                + "http://jabber.org/protocol/muc#register</value></field><field var='muc#jid'><value>" + user
                + "</value></field><field var='muc#register_allow'><value>" + (allow ? "1" : "0")
                + "</value></field></x></message>";
    }

    private static Element reservedNick(TestClient client) {
        return iq(client, "<iq type='get' id='n1' to='" + ROOM + "'><query xmlns='" + DISCO_INFO
                + "' node='x-roomuser-item'/></iq>").element(QName.get("query", DISCO_INFO));
    }

    private static Element field(Element form, String var) {
        return form.elements("field").stream().filter(f -> var.equals(f.attributeValue("var"))).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + var + " in " + form.asXML()));
    }

    private static String fieldValue(Element form, String var) {
        return field(form, var).elementText("value");
    }
}
