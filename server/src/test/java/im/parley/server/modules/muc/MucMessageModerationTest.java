package im.parley.server.modules.muc;

import static im.parley.server.modules.muc.MucScript.createInstant;
import static im.parley.server.modules.muc.MucScript.createReserved;
import static im.parley.server.modules.muc.MucScript.errorCondition;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
import static im.parley.server.modules.muc.MucScript.named;
import static im.parley.server.modules.muc.MucScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;

/**
 * Message moderation (XEP-0425, {@code urn:xmpp:message-moderate:1} with XEP-0424 retraction, and
 * the older {@code :0} fastening): a moderator retracts a message by its stanza id, every
 * occupant is told, the archive and the history keep a tombstone; others get {@code forbidden}.
 */
class MucMessageModerationTest extends MucFixture {

    private static final String RETRACT = "urn:xmpp:message-retract:1";
    private static final String MODERATE = "urn:xmpp:message-moderate:1";

    @Test
    void roomsAdvertiseModeration() {
        createInstant(romeo, ROOM + "/romeo");

        // §3: "urn:xmpp:message-moderate:1" among the room's features.
        assertThat(MucScript.roomFeatures(juliet, ROOM)).contains(MODERATE, "urn:xmpp:message-moderate:0");
    }

    @Test
    void aModeratorRetractsAMessageEveryoneIsToldAndTheArchiveKeepsATombstone() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        join(juliet, ROOM + "/juliet", "");
        String id = stanzaId(last(send(juliet, "<message type='groupchat' to='" + ROOM + "'><body>rude</body>"
                + "</message>"), "message"));
        romeo.received();

        // §4: "If the user is not a moderator, the MUC service MUST return a <forbidden/> error".
        assertThat(errorCondition(send(juliet, moderate(id, "mine")).get(0))).isEqualTo("forbidden");
        assertThat(errorCondition(send(romeo, moderate("no-such-id", "")).get(0))).isEqualTo("item-not-found");

        List<Element> answer = send(romeo, moderate(id, "not here"));

        assertThat(last(answer, "iq").attributeValue("type")).isEqualTo("result");
        // §4: the retraction from the room, naming the moderator, with its occupant id and the reason.
        Element told = last(juliet.received(), "message");
        assertThat(told.attributeValue("from")).isEqualTo(ROOM);
        Element retract = told.element(QName.get("retract", RETRACT));
        assertThat(retract.attributeValue("id")).isEqualTo(id);
        Element moderated = retract.element(QName.get("moderated", MODERATE));
        assertThat(moderated.attributeValue("by")).isEqualTo(ROOM + "/romeo");
        assertThat(moderated.element(QName.get("occupant-id", OccupantIds.NS))).isNotNull();
        assertThat(retract.elementText("reason")).isEqualTo("not here");
        assertThat(named(answer, "message")).as("the moderator is told as well").isNotEmpty();

        // §5: the archive holds a tombstone instead of the message, under the same id.
        List<Element> results = named(send(romeo, "<iq type='set' id='q' to='" + ROOM + "'><query xmlns='urn:xmpp:mam:2'/>"
                + "</iq>"), "message").stream().filter(m -> m.element(QName.get("result", "urn:xmpp:mam:2")) != null)
                .toList();
        Element tombstone = results.get(0).element(QName.get("result", "urn:xmpp:mam:2"))
                .element(QName.get("forwarded", "urn:xmpp:forward:0")).element(QName.get("message", "jabber:client"));
        assertThat(results.get(0).element(QName.get("result", "urn:xmpp:mam:2")).attributeValue("id")).isEqualTo(id);
        assertThat(tombstone.element("body")).isNull();
        assertThat(tombstone.attributeValue("from")).isEqualTo(ROOM + "/juliet");
        assertThat(tombstone.element(QName.get("retracted", RETRACT)).element(QName.get("moderated", MODERATE))
                .attributeValue("by")).isEqualTo(ROOM + "/romeo");
    }

    @Test
    void theOlderFasteningFormIsAnsweredInKindAndTheHistoryKeepsATombstone() throws Exception {
        createInstant(romeo, ROOM + "/romeo");
        String id = stanzaId(last(send(romeo, "<message type='groupchat' to='" + ROOM + "'><body>oops</body>"
                + "</message>"), "message"));

        List<Element> answer = send(romeo, "<iq type='set' id='m0' to='" + ROOM + "'><apply-to xmlns='urn:xmpp:fasten:0'"
                + " id='" + id + "'><moderate xmlns='urn:xmpp:message-moderate:0'><retract"
                + " xmlns='urn:xmpp:message-retract:0'/><reason>typo</reason></moderate></apply-to></iq>");

        assertThat(last(answer, "iq").attributeValue("type")).isEqualTo("result");
        Element applyTo = last(answer, "message").element(QName.get("apply-to", "urn:xmpp:fasten:0"));
        assertThat(applyTo.attributeValue("id")).isEqualTo(id);
        Element moderated = applyTo.element(QName.get("moderated", "urn:xmpp:message-moderate:0"));
        assertThat(moderated.attributeValue("by")).isEqualTo(ROOM + "/romeo");
        assertThat(moderated.element(QName.get("retract", "urn:xmpp:message-retract:0"))).isNotNull();
        // XEP-0045 §7.2.15: a newcomer's history has the tombstone, not the message.
        List<Element> history = named(join(juliet, ROOM + "/juliet", ""), "message");
        assertThat(history).noneMatch(m -> "oops".equals(m.elementText("body")));
        assertThat(history).anyMatch(m -> m.element(QName.get("retracted", RETRACT)) != null);
    }

    private static String moderate(String id, String reason) {
        return "<iq type='set' id='m1' to='" + ROOM + "'><moderate xmlns='" + MODERATE + "' id='" + id + "'><retract"
                + " xmlns='" + RETRACT + "'/><reason>" + reason + "</reason></moderate></iq>";
    }

    private static String stanzaId(Element message) {
        return message.element(QName.get("stanza-id", "urn:xmpp:sid:0")).attributeValue("id");
    }
}
