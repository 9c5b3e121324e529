package im.parley.server.modules.muc;

import static im.parley.server.modules.muc.MucScript.OWNER;
import static im.parley.server.modules.muc.MucScript.createInstant;
import static im.parley.server.modules.muc.MucScript.createReserved;
import static im.parley.server.modules.muc.MucScript.join;
import static im.parley.server.modules.muc.MucScript.last;
import static im.parley.server.modules.muc.MucScript.send;
import static im.parley.server.modules.muc.MucScript.statusCodes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/**
 * Room logging (XEP-0045 §7.2.12, §10.2.1): a room's archive is its log, so a room that keeps one
 * (persistent, {@code muc#roomconfig_enablearchiving} on; {@code muc#roomconfig_enablelogging} is
 * the same switch) warns newcomers with status 170, and its occupants learn of logging turned on
 * or off with 170 or 171.
 */
class MucLoggingTest extends MucFixture {

    @Test
    void aNewcomerIsWarnedThatALoggedRoomIsLoggedAndOnlyThen() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        createInstant(romeo, "hall@conference.parley.test/romeo");

        // §7.2.12: "the service ... MUST also warn the user that the discussions are logged. This is
        // done by including a status code of "170" in the initial presence".
        assertThat(statusCodes(last(join(juliet, ROOM + "/juliet", ""), "presence"))).containsExactly(110, 170);
        assertThat(statusCodes(last(join(juliet, "hall@conference.parley.test/juliet", ""), "presence")))
                .as("a temporary room keeps no log").containsExactly(110);
    }

    @Test
    void occupantsLearnThatLoggingWasTurnedOffAndOn() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1");
        join(juliet, ROOM + "/juliet", "");

        // §10.2.1: "If room logging is now disabled, status code 171"; the field of ejabberd and the
        // XEP's registry, muc#roomconfig_enablelogging, turns the room's archive off as well.
        configure("muc#roomconfig_enablelogging", "0");
        assertThat(statusCodes(last(juliet.received(), "message"))).containsExactly(171);
        send(juliet, "<presence type='unavailable' to='" + ROOM + "/juliet'/>");
        assertThat(statusCodes(last(join(juliet, ROOM + "/juliet", ""), "presence"))).containsExactly(110);

        // "If room logging is now enabled, status code 170".
        configure("muc#roomconfig_enablearchiving", "1");
        assertThat(statusCodes(last(juliet.received(), "message"))).containsExactly(170);

        // A room that stops being persistent keeps no archive any more: its log ends too.
        configure("muc#roomconfig_persistentroom", "0");
        assertThat(statusCodes(last(juliet.received(), "message"))).containsExactly(171);
    }

    @Test
    void aChangeOfLoggingAndAnonymityIsOneNoticeWithBothCodes() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");

        List<Element> own = send(romeo, form("<field var='muc#roomconfig_persistentroom'><value>1</value></field>"
                + "<field var='muc#roomconfig_whois'><value>anyone</value></field>"));

        assertThat(statusCodes(last(own, "message"))).containsExactly(170, 172);
        assertThat(statusCodes(last(juliet.received(), "message"))).containsExactly(170, 172);
    }

    private void configure(String var, String value) {
        Element answer = last(send(romeo, form("<field var='" + var + "'><value>" + value + "</value></field>")), "iq");
        assertThat(answer.attributeValue("type")).isEqualTo("result");
    }

    private static String form(String fields) {
        return "<iq type='set' id='c' to='" + ROOM + "'><query xmlns='" + OWNER + "'><x xmlns='jabber:x:data' "
                + "type='submit'>" + fields + "</x></query></iq>";
    }
}
