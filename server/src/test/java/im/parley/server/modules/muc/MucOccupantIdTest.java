package im.parley.server.modules.muc;

import static im.parley.server.modules.muc.MucScript.createInstant;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
import static im.parley.server.modules.muc.MucScript.named;
import static im.parley.server.modules.muc.MucScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.TestClient;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;

/**
 * Occupant identifiers (XEP-0421): the room's feature (§2), an {@code <occupant-id/>} on every
 * presence and message the room forwards (§3), replacing one a client sent, the same for a user
 * across nicks, devices, visits and restarts, different between users and between rooms (§4).
 */
class MucOccupantIdTest extends MucFixture {

    private static final String SPOOF = "<occupant-id xmlns='" + OccupantIds.NS + "' id='romeo-s-id'/>";

    @Test
    void roomsAdvertiseOccupantIds() {
        createInstant(romeo, ROOM + "/romeo");

                // §2: "it MUST specify the 'urn:xmpp:occupant-id:0' feature".
        assertThat(MucScript.roomFeatures(juliet, ROOM)).contains(OccupantIds.NS);
    }

    @Test
    void everyPresenceAndMessageFromAnOccupantCarriesItsIdAndNeverOneTheClientClaimed() {
        createInstant(romeo, ROOM + "/romeo");

        List<Element> joined = send(juliet, "<presence to='" + ROOM + "/juliet'><x xmlns='" + MucScript.MUC + "'/>"
                + SPOOF + "</presence>");

        // §3: the presence of every occupant carries its id; the one Juliet claimed is replaced.
        String romeoId = occupantId(joined.get(0));
        String julietId = occupantId(joined.get(1));
        assertThat(julietId).isNotEqualTo(romeoId);
        assertThat(occupantId(last(romeo.received(), "presence"))).isEqualTo(julietId);

        List<Element> echo = send(juliet, "<message type='groupchat' to='" + ROOM + "'><body>hi</body>" + SPOOF
                + "</message>");
        assertThat(occupantId(last(romeo.received(), "message"))).isEqualTo(julietId);
        assertThat(occupantId(last(echo, "message"))).isEqualTo(julietId);

        send(juliet, "<message type='chat' to='" + ROOM + "/romeo'><body>psst</body>" + SPOOF + "</message>");
        assertThat(occupantId(last(romeo.received(), "message"))).as("a private message").isEqualTo(julietId);

        // The id stays with the user: a nick change, another device, the history a newcomer gets.
        send(juliet, "<presence to='" + ROOM + "/jules'/>");
        assertThat(named(romeo.received(), "presence")).extracting(MucOccupantIdTest::occupantId)
                .containsExactly(julietId, julietId);
        TestClient phone = server.login("juliet@parley.test", "phone");
        List<Element> phoneJoined = join(phone, ROOM + "/jules", "");
        assertThat(occupantId(last(phoneJoined, "presence"))).isEqualTo(julietId);
        assertThat(named(phoneJoined, "message").get(0).elementText("body")).isEqualTo("hi");
        assertThat(occupantId(named(phoneJoined, "message").get(0))).as("history").isEqualTo(julietId);
    }

    @Test
    void aUserHasOneIdPerRoomThatOutlivesVisitsAndRestarts() throws Exception {
        createInstant(romeo, ROOM + "/romeo");
        createInstant(romeo, "hall@conference.parley.test/romeo");
        String inGarden = occupantId(last(join(juliet, ROOM + "/juliet", ""), "presence"));
        String inHall = occupantId(last(join(juliet, "hall@conference.parley.test/juliet", ""), "presence"));

        // §4: "the occupant identifier of a user in one room of the service [SHOULD NOT] match the
        // occupant identifier of the same user in another room of the same service".
        assertThat(inHall).isNotEqualTo(inGarden);

        server.close();
        server = MucScript.reopen(dir);
        login();
        createInstant(romeo, ROOM + "/romeo");
        assertThat(occupantId(last(join(juliet, ROOM + "/another-nick", ""), "presence"))).isEqualTo(inGarden);
    }

    private static String occupantId(Element stanza) {
        List<Element> ids = stanza.elements(QName.get("occupant-id", OccupantIds.NS));
        assertThat(ids).as("one occupant-id in %s", stanza.asXML()).hasSize(1);
        return ids.get(0).attributeValue("id");
    }
}
