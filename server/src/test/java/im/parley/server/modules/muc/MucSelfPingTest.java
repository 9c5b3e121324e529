package im.parley.server.modules.muc;

import static im.parley.server.modules.muc.MucScript.createInstant;
import static im.parley.server.modules.muc.MucScript.errorCondition;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.TestClient;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/**
 * MUC self-ping (XEP-0410): the room answers a ping to one's own occupant JID itself (§3.3
 * "Server Optimization", advertised with {@code muc#self-ping-optimization}): a result when the
 * pinging client is joined, {@code not-acceptable} when it is not; a nick that is gone is
 * {@code item-not-found} (§3.2: joined under another nick); pings between occupants are relayed.
 */
class MucSelfPingTest extends MucFixture {

    @Test
    void theRoomAdvertisesTheOptimization() {
        createInstant(romeo, ROOM + "/romeo");

        // §3.3: "needs to advertise the self-ping-optimization feature ... on the individual MUC room JIDs".
        assertThat(MucScript.roomFeatures(juliet, ROOM))
                .contains("http://jabber.org/protocol/muc#self-ping-optimization");
    }

    @Test
    void aJoinedClientGetsAResultFromTheRoomItselfAndNoClientIsAsked() {
        createInstant(romeo, ROOM + "/romeo");
        TestClient phone = server.login("juliet@parley.test", "phone");
        join(juliet, ROOM + "/juliet", "");
        join(phone, ROOM + "/juliet", "");
        phone.received();

        List<Element> answer = ping(juliet, "juliet");

        // §3.3: "Successful IQ response: the client is joined to the MUC."
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).attributeValue("type")).isEqualTo("result");
        assertThat(answer.get(0).attributeValue("from")).isEqualTo(ROOM + "/juliet");
        assertThat(answer.get(0).attributeValue("id")).isEqualTo("sp");
        assertThat(phone.received()).as("the other session of the nick is not pinged").isEmpty();
    }

    @Test
    void aClientNotJoinedIsToldSoWithNotAcceptable() {
        createInstant(romeo, ROOM + "/romeo");
        TestClient phone = server.login("juliet@parley.test", "phone");
        join(phone, ROOM + "/juliet", "");

        // §3.3: "Error (<not-acceptable>): the client is not joined to the MUC": another session
        // of the same user being in the room does not count, nor does a room that does not exist.
        assertThat(errorCondition(ping(juliet, "juliet").get(0))).isEqualTo("not-acceptable");
        assertThat(errorCondition(send(juliet, "<iq type='get' id='sp' to='nowhere@conference.parley.test/juliet'>"
                + "<ping xmlns='urn:xmpp:ping'/></iq>").get(0))).isEqualTo("not-acceptable");
        send(phone, "<presence type='unavailable' to='" + ROOM + "/juliet'/>");
        assertThat(errorCondition(ping(phone, "juliet").get(0))).isEqualTo("not-acceptable");
    }

    @Test
    void aNickThatIsGoneIsNotFoundAndAnotherOccupantsPingIsRelayed() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");
        send(juliet, "<presence to='" + ROOM + "/jules'/>");
        romeo.received();

        // §3.2: "<item-not-found>: The client is joined, but the occupant just changed their name".
        assertThat(errorCondition(ping(juliet, "juliet").get(0))).isEqualTo("item-not-found");
        // XEP-0045 §6.6: a ping to someone else's occupant JID is theirs to answer.
        assertThat(ping(juliet, "romeo")).isEmpty();
        Element relayed = romeo.received().get(0);
        assertThat(relayed.attributeValue("from")).isEqualTo(ROOM + "/jules");
        assertThat(relayed.element("ping")).isNotNull();
    }

    private static List<Element> ping(TestClient client, String nick) {
        return send(client, "<iq type='get' id='sp' to='" + ROOM + "/" + nick + "'><ping xmlns='urn:xmpp:ping'/></iq>");
    }
}
