package im.parley.server.modules.muc;

import static im.parley.server.modules.muc.MucScript.createReserved;
import static im.parley.server.modules.muc.MucScript.errorCondition;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
import static im.parley.server.modules.muc.MucScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;

/**
 * Room avatars (XEP-0153 on a room's vCard, XEP-0054): owners set the room's vCard, anyone gets
 * it, the room's presence carries the photo's hash (XEP-0153 §4.1) and its disco#info has
 * {@code muc#roominfo_avatarhash} (XEP-0045 §6.4); the size is limited; a persistent room keeps it.
 */
class MucRoomAvatarTest extends MucFixture {

    private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    private static final String VCARD = "<vCard xmlns='vcard-temp'><PHOTO><TYPE>image/png</TYPE><BINVAL>"
            + Base64.getEncoder().encodeToString(IMAGE) + "</BINVAL></PHOTO></vCard>";

    @Test
    void ownersSetTheRoomsAvatarEveryoneSeesItsHashAndGetsIt() throws Exception {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        join(juliet, ROOM + "/juliet", "");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(IMAGE));

        assertThat(errorCondition(send(juliet, setVcard(VCARD)).get(0))).as("not an owner").isEqualTo("forbidden");
        List<Element> set = send(romeo, setVcard(VCARD));

        assertThat(last(set, "iq").attributeValue("type")).isEqualTo("result");
        // XEP-0153 §4.1: the room's presence with the new hash, to every occupant.
        Element presence = last(juliet.received(), "presence");
        assertThat(presence.attributeValue("from")).isEqualTo(ROOM);
        assertThat(presence.element(QName.get("x", "vcard-temp:x:update")).elementText("photo")).isEqualTo(hash);
        // Anyone gets the vCard (XEP-0054 §3.1), and disco#info names the hash.
        TestClientVcard vcard = new TestClientVcard(send(server.login("juliet@parley.test", "phone"),
                "<iq type='get' id='v' to='" + ROOM + "'><vCard xmlns='vcard-temp'/></iq>").get(0));
        assertThat(vcard.binval()).isEqualTo(Base64.getEncoder().encodeToString(IMAGE));
        assertThat(MucScript.roomFeatures(juliet, ROOM)).contains("vcard-temp");
        assertThat(roomInfoField(juliet, "muc#roominfo_avatarhash")).isEqualTo(hash);

        // A newcomer gets the room's presence with the hash; a restart keeps the vCard.
        server.close();
        server = MucScript.reopen(dir);
        login();
        List<Element> joined = join(juliet, ROOM + "/juliet", "");
        assertThat(last(joined, "presence").attributeValue("from")).isEqualTo(ROOM);
        assertThat(last(joined, "presence").element(QName.get("x", "vcard-temp:x:update")).elementText("photo"))
                .isEqualTo(hash);
    }

    @Test
    void aVcardOverTheLimitIsNotAcceptable() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        String big = "<vCard xmlns='vcard-temp'><DESC>" + "x".repeat(MucModule.VCARD_MAX_BYTES.defaultValue())
                + "</DESC></vCard>";

        assertThat(errorCondition(send(romeo, setVcard(big)).get(0))).isEqualTo("not-acceptable");
    }

    private static String setVcard(String vcard) {
        return "<iq type='set' id='s' to='" + ROOM + "'>" + vcard + "</iq>";
    }

    private static String roomInfoField(im.parley.server.testing.TestClient client, String var) {
        Element query = send(client, "<iq type='get' id='i' to='" + ROOM
                + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>").get(0).element("query");
        for (Element field : query.element(QName.get("x", "jabber:x:data")).elements()) {
            if (var.equals(field.attributeValue("var"))) {
                return field.elementText("value");
            }
        }
        return null;
    }

    /** The PHOTO of a vCard answer. */
    private record TestClientVcard(Element iq) {
        String binval() {
            return iq.element(QName.get("vCard", "vcard-temp")).element("PHOTO").elementText("BINVAL");
        }
    }
}
