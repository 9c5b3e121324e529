package im.parley.server.modules.muc;

import static im.parley.server.modules.XmppScript.iq;
import static im.parley.server.modules.muc.MucScript.OWNER;
import static im.parley.server.modules.muc.MucScript.createInstant;
import static im.parley.server.modules.muc.MucScript.createReserved;
import static im.parley.server.modules.muc.MucScript.errorCondition;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
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
 * The MUC service's discovery (XEP-0045 §6) and the creation and configuration of rooms
 * (§10.1, §10.2), persistent rooms across a restart.
 */
class MucRoomCreationTest {

    private static final String SERVICE = "conference.parley.test";
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

    @TempDir
    Path dir;

    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir));
        server.user("romeo@parley.test").user("juliet@parley.test");
        romeo = server.login("romeo@parley.test", "garden");
        juliet = server.login("juliet@parley.test", "balcony");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theServiceIsAnItemOfTheDomainAndAConferenceServiceThatSpeaksMuc() {
        // §6.1: "the service discovery items ... the user's server" lists the MUC service.
        Element items = iq(romeo, "<iq type='get' id='i1' to='parley.test'><query xmlns='" + DISCO_ITEMS + "'/></iq>")
                .element("query");
        assertThat(items.elements("item")).extracting(item -> item.attributeValue("jid")).contains(SERVICE);
        // §6.2: identity category conference, type text, and the MUC feature.
        Element info = iq(romeo, "<iq type='get' id='i2' to='" + SERVICE + "'><query xmlns='" + DISCO_INFO + "'/></iq>")
                .element("query");
        assertThat(info.element("identity").attributeValue("category")).isEqualTo("conference");
        assertThat(info.element("identity").attributeValue("type")).isEqualTo("text");
        assertThat(features(info)).contains("http://jabber.org/protocol/muc");
    }

    @Test
    void anInstantRoomIsLockedUntilTheOwnerAcceptsTheDefaultConfiguration() {
        List<Element> created = join(romeo, "garden@" + SERVICE + "/romeo", "");

        // §10.1.1: the creator is owner and moderator; 201 says the room was created, 110 it is the creator's own presence.
        Element self = last(created, "presence");
        assertThat(statusCodes(self)).contains(110, 201);
        assertThat(MucScript.item(self).attributeValue("affiliation")).isEqualTo("owner");
        assertThat(MucScript.item(self).attributeValue("role")).isEqualTo("moderator");
        // §7.2.11: "the service MUST deny access to the room" to others while it is locked (item-not-found).
        assertThat(errorCondition(last(join(juliet, "garden@" + SERVICE + "/juliet", ""), "presence")))
                .isEqualTo("item-not-found");

        // §10.1.2: "the owner MUST ... submit an empty configuration form" to accept the defaults.
        Element accepted = iq(romeo, "<iq type='set' id='c1' to='garden@" + SERVICE + "'><query xmlns='" + OWNER
                + "'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
        assertThat(accepted.attributeValue("type")).isEqualTo("result");
        assertThat(statusCodes(last(join(juliet, "garden@" + SERVICE + "/juliet", ""), "presence"))).contains(110);
    }

    @Test
    void aReservedRoomIsConfiguredWithTheFormAndShowsItsKindInDiscovery() {
        send(romeo, "<presence to='balcony@" + SERVICE + "/romeo'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        // §10.1.3: the owner asks for the configuration form.
        Element form = iq(romeo, "<iq type='get' id='c1' to='balcony@" + SERVICE + "'><query xmlns='" + OWNER
                + "'/></iq>").element(QName.get("query", OWNER)).element(QName.get("x", "jabber:x:data"));
        assertThat(form.attributeValue("type")).isEqualTo("form");
        assertThat(form.elements("field")).extracting(field -> field.attributeValue("var")).contains(
                "FORM_TYPE", "muc#roomconfig_roomname", "muc#roomconfig_roomdesc", "muc#roomconfig_persistentroom",
                "muc#roomconfig_publicroom", "muc#roomconfig_membersonly", "muc#roomconfig_moderatedroom",
                "muc#roomconfig_passwordprotectedroom", "muc#roomconfig_roomsecret", "muc#roomconfig_whois",
                "muc#roomconfig_maxusers", "muc#roomconfig_changesubject", "muc#roomconfig_allowinvites",
                "muc#maxhistoryfetch", "muc#roomconfig_presencebroadcast", "muc#roomconfig_allowpm");

        createReserved(romeo, "balcony@" + SERVICE + "/romeo", "muc#roomconfig_roomname", "The Balcony",
                "muc#roomconfig_persistentroom", "1", "muc#roomconfig_publicroom", "0",
                "muc#roomconfig_whois", "anyone", "muc#roomconfig_moderatedroom", "1");

        // §6.4: the room's identity carries its name; its features say what kind of room it is.
        Element info = iq(juliet, "<iq type='get' id='d1' to='balcony@" + SERVICE + "'><query xmlns='" + DISCO_INFO
                + "'/></iq>").element("query");
        assertThat(info.element("identity").attributeValue("name")).isEqualTo("The Balcony");
        assertThat(features(info)).contains("http://jabber.org/protocol/muc", "muc_persistent", "muc_hidden",
                "muc_nonanonymous", "muc_moderated", "muc_open", "muc_unsecured");
        // §6.3: a hidden room is not among the service's items; §6.5: nor are its occupants listed.
        Element items = iq(juliet, "<iq type='get' id='d2' to='" + SERVICE + "'><query xmlns='" + DISCO_ITEMS
                + "'/></iq>").element("query");
        assertThat(items.elements("item")).isEmpty();
        Element occupants = iq(juliet, "<iq type='get' id='d3' to='balcony@" + SERVICE + "'><query xmlns='"
                + DISCO_ITEMS + "'/></iq>").element("query");
        assertThat(occupants.elements("item")).isEmpty();
    }

    @Test
    void publicRoomsAreListedWithTheirOccupantsAndHiddenOnesAreNot() {
        createInstant(romeo, "forum@" + SERVICE + "/romeo");

        Element items = iq(juliet, "<iq type='get' id='d1' to='" + SERVICE + "'><query xmlns='" + DISCO_ITEMS
                + "'/></iq>").element("query");
        assertThat(items.elements("item")).extracting(item -> item.attributeValue("jid"))
                .containsExactly("forum@" + SERVICE);
        // §6.5: "An implementation MAY return a list of existing occupants if that information is publicly
        // available": a public room lists its occupant JIDs.
        Element occupants = iq(juliet, "<iq type='get' id='d2' to='forum@" + SERVICE + "'><query xmlns='"
                + DISCO_ITEMS + "'/></iq>").element("query");
        assertThat(occupants.elements("item")).extracting(item -> item.attributeValue("jid"))
                .containsExactly("forum@" + SERVICE + "/romeo");
        // §6.4: the number of occupants is in the muc#roominfo form.
        Element info = iq(juliet, "<iq type='get' id='d3' to='forum@" + SERVICE + "'><query xmlns='" + DISCO_INFO
                + "'/></iq>").element("query");
        assertThat(formValue(info, "muc#roominfo_occupants")).isEqualTo("1");
    }

    @Test
    void aRoomThatDoesNotExistIsNotFound() {
        // §6.4: disco#info to a room that does not exist: item-not-found.
        assertThat(errorCondition(iq(romeo, "<iq type='get' id='d1' to='nowhere@" + SERVICE + "'><query xmlns='"
                + DISCO_INFO + "'/></iq>"))).isEqualTo("item-not-found");
        assertThat(errorCondition(last(send(romeo, "<message type='groupchat' to='nowhere@" + SERVICE
                + "'><body>hello</body></message>"), "message"))).isEqualTo("item-not-found");
    }

    @Test
    void onlyOwnersConfigureAndInvalidValuesAreNotAcceptable() {
        createInstant(romeo, "forum@" + SERVICE + "/romeo");
        join(juliet, "forum@" + SERVICE + "/juliet", "");
        romeo.received();

        // §10.2: "If the user is not an owner, the service MUST return a <forbidden/> error".
        assertThat(errorCondition(iq(juliet, "<iq type='get' id='c1' to='forum@" + SERVICE + "'><query xmlns='"
                + OWNER + "'/></iq>"))).isEqualTo("forbidden");
        Element refused = iq(romeo, "<iq type='set' id='c2' to='forum@" + SERVICE + "'><query xmlns='" + OWNER
                + "'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_passwordprotectedroom'>"
                + "<value>1</value></field></x></query></iq>");
        assertThat(errorCondition(refused)).isEqualTo("not-acceptable");
        assertThat(refused.element("error").elementText("text")).contains("roomsecret");
    }

    @Test
    void aConfigurationChangeIsAnnouncedToTheOccupants() {
        createInstant(romeo, "forum@" + SERVICE + "/romeo");
        join(juliet, "forum@" + SERVICE + "/juliet", "");
        romeo.received();

        List<Element> own = send(romeo, "<iq type='set' id='c1' to='forum@" + SERVICE + "'><query xmlns='" + OWNER
                + "'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_roomname'>"
                + "<value>Forum</value></field></x></query></iq>");

        // §10.2.1: a change that is not about privacy: status 104 to all occupants.
        assertThat(statusCodes(last(juliet.received(), "message"))).containsExactly(104);
        assertThat(statusCodes(last(own, "message"))).containsExactly(104);
        assertThat(last(own, "iq").attributeValue("type")).isEqualTo("result");
    }

    @Test
    void cancellingTheInitialConfigurationDestroysTheRoom() {
        send(romeo, "<presence to='gone@" + SERVICE + "/romeo'><x xmlns='http://jabber.org/protocol/muc'/></presence>");

        List<Element> cancelled = send(romeo, "<iq type='set' id='c1' to='gone@" + SERVICE + "'><query xmlns='"
                + OWNER + "'><x xmlns='jabber:x:data' type='cancel'/></query></iq>");
        assertThat(last(cancelled, "presence").attributeValue("type")).isEqualTo("unavailable");
        assertThat(last(cancelled, "iq").attributeValue("type")).isEqualTo("result");

        // §10.1.3: "If the room owner cancels the initial configuration, the service MUST destroy the room".
        assertThat(errorCondition(iq(juliet, "<iq type='get' id='d1' to='gone@" + SERVICE + "'><query xmlns='"
                + DISCO_INFO + "'/></iq>"))).isEqualTo("item-not-found");
    }

    @Test
    void aTemporaryRoomVanishesWithItsLastOccupantAndAPersistentOneStaysAcrossARestart() throws Exception {
        createInstant(romeo, "temporary@" + SERVICE + "/romeo");
        createReserved(romeo, "lasting@" + SERVICE + "/romeo", "muc#roomconfig_persistentroom", "1",
                "muc#roomconfig_roomname", "Lasting", "muc#roomconfig_membersonly", "1");
        send(romeo, "<presence type='unavailable' to='temporary@" + SERVICE + "/romeo'/>");
        send(romeo, "<presence type='unavailable' to='lasting@" + SERVICE + "/romeo'/>");

        // §10.1: a temporary room is destroyed when the last occupant exits.
        assertThat(errorCondition(iq(juliet, "<iq type='get' id='d1' to='temporary@" + SERVICE + "'><query xmlns='"
                + DISCO_INFO + "'/></iq>"))).isEqualTo("item-not-found");

        server.close();
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir));
        juliet = server.login("juliet@parley.test", "balcony");
        romeo = server.login("romeo@parley.test", "garden");
        // A persistent room keeps its configuration and affiliations in the database.
        Element info = iq(juliet, "<iq type='get' id='d2' to='lasting@" + SERVICE + "'><query xmlns='" + DISCO_INFO
                + "'/></iq>").element("query");
        assertThat(info.element("identity").attributeValue("name")).isEqualTo("Lasting");
        assertThat(features(info)).contains("muc_persistent", "muc_membersonly");
        assertThat(errorCondition(last(join(juliet, "lasting@" + SERVICE + "/juliet", ""), "presence")))
                .isEqualTo("registration-required");
        assertThat(MucScript.item(last(join(romeo, "lasting@" + SERVICE + "/romeo", ""), "presence"))
                .attributeValue("affiliation")).isEqualTo("owner");
    }

    @Test
    void anOccupantIsQueriedThroughTheRoomByOccupantsOnly() {
        createInstant(romeo, "forum@" + SERVICE + "/romeo");

        // §6.6: "If a non-occupant attempts to send a disco request to an address of the form
        // <room@service/nick>, a MUC service MUST return a <bad-request/> error".
        assertThat(errorCondition(iq(juliet, "<iq type='get' id='o1' to='forum@" + SERVICE + "/romeo'><query xmlns='"
                + DISCO_INFO + "'/></iq>"))).isEqualTo("bad-request");
        join(juliet, "forum@" + SERVICE + "/juliet", "");
        romeo.received();

        // An occupant's request reaches the occupant from the asker's occupant JID, and the answer comes back.
        send(juliet, "<iq type='get' id='o2' to='forum@" + SERVICE + "/romeo'><query xmlns='" + DISCO_INFO + "'/></iq>");
        Element relayed = last(romeo.received(), "iq");
        assertThat(relayed.attributeValue("from")).isEqualTo("forum@" + SERVICE + "/juliet");
        send(romeo, "<iq type='result' id='o2' to='forum@" + SERVICE + "/juliet'><query xmlns='" + DISCO_INFO
                + "'/></iq>");
        Element answer = last(juliet.received(), "iq");
        assertThat(answer.attributeValue("type")).isEqualTo("result");
        assertThat(answer.attributeValue("from")).isEqualTo("forum@" + SERVICE + "/romeo");
        assertThat(answer.attributeValue("id")).isEqualTo("o2");
    }

    private static List<String> features(Element info) {
        return info.elements("feature").stream().map(feature -> feature.attributeValue("var")).toList();
    }

    private static String formValue(Element info, String var) {
        Element form = info.element(QName.get("x", "jabber:x:data"));
        return form.elements("field").stream().filter(field -> var.equals(field.attributeValue("var")))
                .map(field -> field.elementText("value")).findFirst().orElseThrow();
    }
}
