package im.parley.server.modules.muc;

import static im.parley.server.modules.muc.MucScript.createInstant;
import static im.parley.server.modules.muc.MucScript.createReserved;
import static im.parley.server.modules.muc.MucScript.errorCondition;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
import static im.parley.server.modules.muc.MucScript.named;
import static im.parley.server.modules.muc.MucScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.TestClient;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A room's message archive (XEP-0313 on the room's JID): announced by persistent rooms that keep
 * one (§7), every groupchat message archived under its {@code <stanza-id by='room'/>} (XEP-0359
 * §3), queries with the form's {@code with} on an occupant JID and RSM paging (§4), for those
 * who may be in the room, and gone with the room.
 */
class MucArchiveTest extends MucFixture {

    private static final String MAM = "urn:xmpp:mam:2";

    @BeforeEach
    void nurse() throws Exception {
        server.user("nurse@parley.test");
    }

    @Test
    void persistentRoomsKeepAnArchiveAndSaySoTemporaryOnesDoNot() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        createInstant(romeo, "hall@conference.parley.test/romeo");

        assertThat(MucScript.roomFeatures(juliet, ROOM)).contains(MAM);
        assertThat(MucScript.roomFeatures(juliet, "hall@conference.parley.test")).doesNotContain(MAM);
        join(romeo, "hall@conference.parley.test/romeo", "");
        assertThat(errorCondition(send(romeo, query("hall@conference.parley.test", "q", "")).get(0)))
                .isEqualTo("service-unavailable");
    }

    @Test
    void everyMessageIsArchivedUnderItsStanzaIdAndPagedWithRsm() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        join(juliet, ROOM + "/juliet", "");
        List<String> ids = List.of(say(romeo, "one"), say(juliet, "two"), say(romeo, "three"));

        List<Element> all = send(juliet, query(ROOM, "q1", ""));

        // §4.2: one result per message, from the room, forwarded with its delay, then the fin.
        List<Element> results = results(all);
        assertThat(results).extracting(r -> result(r).attributeValue("id")).containsExactlyElementsOf(ids);
        assertThat(results).extracting(r -> forwarded(r).elementText("body")).containsExactly("one", "two", "three");
        assertThat(results.get(0).attributeValue("from")).isEqualTo(ROOM);
        assertThat(result(results.get(0)).attributeValue("queryid")).isEqualTo("q1");
        assertThat(forwarded(results.get(1)).attributeValue("from")).isEqualTo(ROOM + "/juliet");
        Element fin = last(all, "iq").element("fin");
        assertThat(fin.attributeValue("complete")).isEqualTo("true");
        assertThat(fin.element("set").elementText("count")).isEqualTo("3");

        // XEP-0059 §2: a page of two, then the rest after its last id.
        List<Element> page = send(juliet, query(ROOM, "q2", "<set xmlns='http://jabber.org/protocol/rsm'>"
                + "<max>2</max></set>"));
        assertThat(results(page)).hasSize(2);
        Element pageFin = last(page, "iq").element("fin");
        assertThat(pageFin.attributeValue("complete")).isNull();
        String lastId = pageFin.element("set").elementText("last");
        List<Element> rest = send(juliet, query(ROOM, "q3", "<set xmlns='http://jabber.org/protocol/rsm'>"
                + "<max>2</max><after>" + lastId + "</after></set>"));
        assertThat(results(rest)).extracting(r -> forwarded(r).elementText("body")).containsExactly("three");

        // §4.1.1 with an occupant JID: that nick's messages only.
        List<Element> julietsOwn = send(romeo, query(ROOM, "q4", "", "with", ROOM + "/juliet"));
        assertThat(results(julietsOwn)).extracting(r -> forwarded(r).elementText("body"))
                .containsExactly("two");
    }

    @Test
    void occupantsAndMembersReadTheArchiveOthersAndOutcastsDoNot() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        say(romeo, "secret");
        TestClient nurse = server.login("nurse@parley.test", "kitchen");

        assertThat(errorCondition(send(juliet, query(ROOM, "q", "")).get(0))).isEqualTo("forbidden");
        send(romeo, "<iq type='set' id='m' to='" + ROOM + "'><query xmlns='" + MucScript.ADMIN + "'>"
                + "<item affiliation='member' jid='juliet@parley.test'/>"
                + "<item affiliation='outcast' jid='nurse@parley.test'/></query></iq>");
        assertThat(results(send(juliet, query(ROOM, "q", "")))).as("a member, not in the room").hasSize(1);
        assertThat(errorCondition(send(nurse, query(ROOM, "q", "")).get(0))).isEqualTo("forbidden");
    }

    @Test
    void anOwnerTurnsArchivingOffAndADestroyedRoomsArchiveGoesWithIt() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        say(romeo, "kept");
        send(romeo, "<iq type='set' id='d' to='" + ROOM + "'><query xmlns='" + MucScript.OWNER + "'><destroy/>"
                + "</query></iq>");

        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        assertThat(last(send(romeo, query(ROOM, "q", "")), "iq").element("fin").element("set").elementText("count"))
                .isEqualTo("0");

        assertThat(last(send(romeo, "<iq type='set' id='c' to='" + ROOM + "'><query xmlns='" + MucScript.OWNER
                + "'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_enablearchiving'><value>0</value>"
                + "</field></x></query></iq>"), "iq").attributeValue("type")).isEqualTo("result");
        say(romeo, "not kept");
        assertThat(MucScript.roomFeatures(romeo, ROOM)).doesNotContain(MAM);
        assertThat(errorCondition(send(romeo, query(ROOM, "q", "")).get(0))).isEqualTo("service-unavailable");
    }

    @Test
    void theArchiveOutlivesARestart() throws Exception {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        String id = say(romeo, "remember me");
        server.close();

        server = MucScript.reopen(dir);
        romeo = server.login("romeo@parley.test", "garden");
        join(romeo, ROOM + "/romeo", "");

        List<Element> results = results(send(romeo, query(ROOM, "q", "")));
        assertThat(results).extracting(r -> result(r).attributeValue("id")).containsExactly(id);
    }

    /** Sends a groupchat message; returns its stanza id by the room. */
    private static String say(TestClient client, String body) {
        Element echo = last(send(client, "<message type='groupchat' to='" + ROOM + "'><body>" + body
                + "</body></message>"), "message");
        Element stanzaId = echo.element(QName.get("stanza-id", "urn:xmpp:sid:0"));
        assertThat(stanzaId.attributeValue("by")).isEqualTo(ROOM);
        return stanzaId.attributeValue("id");
    }

    private static String query(String room, String queryId, String rsm, String... fields) {
        StringBuilder form = new StringBuilder();
        if (fields.length > 0) {
            form.append("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>")
                    .append(MAM).append("</value></field>");
            for (int i = 0; i < fields.length; i += 2) {
                form.append("<field var='").append(fields[i]).append("'><value>").append(fields[i + 1])
                        .append("</value></field>");
            }
            form.append("</x>");
        }
        return "<iq type='set' id='" + queryId + "' to='" + room + "'><query xmlns='" + MAM + "' queryid='" + queryId
                + "'>" + form + rsm + "</query></iq>";
    }

    /** The archive's results among what a client received (it may get the room's messages too). */
    private static List<Element> results(List<Element> received) {
        return named(received, "message").stream().filter(m -> result(m) != null).toList();
    }

    private static Element result(Element message) {
        return message.element(QName.get("result", MAM));
    }

    private static Element forwarded(Element message) {
        return result(message).element(QName.get("forwarded", "urn:xmpp:forward:0"))
                .element(QName.get("message", "jabber:client"));
    }
}
