package im.parley.server.modules.muc;

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
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The occupant use cases of XEP-0045 §7: entering a room (§7.2) with its presence, errors, history
 * and subject; messages to all (§7.4) and private messages (§7.5); nick changes (§7.6),
 * availability (§7.7) and exit (§7.14); one user in a room with several resources.
 */
class MucOccupantTest {

    private static final String ROOM = "garden@conference.parley.test";

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TestServer server;
    private TestClient romeo;
    private TestClient juliet;
    private TestClient nurse;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir)
                .with(MucModule.MESSAGES_PER_MINUTE, 5), clock, ModuleCatalog.discover());
        server.user("romeo@parley.test").user("juliet@parley.test").user("nurse@parley.test");
        romeo = server.login("romeo@parley.test", "garden");
        juliet = server.login("juliet@parley.test", "balcony");
        nurse = server.login("nurse@parley.test", "kitchen");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aNewcomerGetsTheOccupantsThenItsOwnPresenceThenTheSubject() {
        createInstant(romeo, ROOM + "/romeo");

        List<Element> joined = join(juliet, ROOM + "/juliet", "");

        // §7.2.3: "the service MUST first send the complete list of the existing occupants to the new
        // occupant and only then send the new occupant's own presence"; §7.2.16: then the subject.
        assertThat(joined).extracting(Element::getName).containsExactly("presence", "presence", "message");
        assertThat(joined.get(0).attributeValue("from")).isEqualTo(ROOM + "/romeo");
        assertThat(item(joined.get(0)).attributeValue("role")).isEqualTo("moderator");
        assertThat(item(joined.get(0)).attributeValue("jid")).as("semi-anonymous: participants see no real JID").isNull();
        Element self = joined.get(1);
        assertThat(self.attributeValue("from")).isEqualTo(ROOM + "/juliet");
        assertThat(statusCodes(self)).containsExactly(110);
        assertThat(item(self).attributeValue("role")).isEqualTo("participant");
        assertThat(item(self).attributeValue("affiliation")).isEqualTo("none");
        Element subject = joined.get(2);
        assertThat(subject.attributeValue("type")).isEqualTo("groupchat");
        assertThat(subject.element("subject")).isNotNull();
        assertThat(subject.element("body")).isNull();
        // A subject never set has no time to tell.
        assertThat(subject.element(QName.get("delay", "urn:xmpp:delay"))).isNull();
        // The moderator sees the newcomer's real JID (§7.2.5).
        Element toRomeo = last(romeo.received(), "presence");
        assertThat(item(toRomeo).attributeValue("jid")).isEqualTo("juliet@parley.test/balcony");
    }

    @Test
    void aNonAnonymousRoomShowsRealJidsToEveryoneAndSaysSo() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_whois", "anyone");

        List<Element> joined = join(juliet, ROOM + "/juliet", "");

        // §7.2.4: real JIDs to all occupants, and status 100 in the self-presence.
        assertThat(item(joined.get(0)).attributeValue("jid")).isEqualTo("romeo@parley.test/garden");
        assertThat(statusCodes(joined.get(1))).containsExactly(100, 110);
    }

    @Test
    void enteringNeedsANickAUniqueOneThePasswordMembershipAndRoom() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_passwordprotectedroom", "1",
                "muc#roomconfig_roomsecret", "capulet", "muc#roomconfig_maxusers", "2");

        // §7.2.1 (nick missing): jid-malformed.
        assertThat(errorCondition(last(join(juliet, ROOM, ""), "presence"))).isEqualTo("jid-malformed");
        // §7.2.6: not-authorized without the password.
        assertThat(errorCondition(last(join(juliet, ROOM + "/juliet", ""), "presence"))).isEqualTo("not-authorized");
        // §7.2.9: conflict for a nick in use.
        assertThat(errorCondition(last(join(juliet, ROOM + "/romeo", "<password>capulet</password>"), "presence")))
                .isEqualTo("conflict");
        assertThat(statusCodes(last(join(juliet, ROOM + "/juliet", "<password>capulet</password>"), "presence")))
                .contains(110);
        // §7.2.10: service-unavailable when the room is full.
        assertThat(errorCondition(last(join(nurse, ROOM + "/nurse", "<password>capulet</password>"), "presence")))
                .isEqualTo("service-unavailable");
    }

    @Test
    void membersOnlyRoomsWantMembersAndBannedUsersStayOut() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_membersonly", "1");

        // §7.2.7: registration-required for a user who is not a member.
        assertThat(errorCondition(last(join(juliet, ROOM + "/juliet", ""), "presence")))
                .isEqualTo("registration-required");
        send(romeo, "<iq type='set' id='m1' to='" + ROOM + "'><query xmlns='" + MucScript.ADMIN + "'>"
                + "<item affiliation='member' jid='juliet@parley.test'/></query></iq>");
        assertThat(statusCodes(last(join(juliet, ROOM + "/juliet", ""), "presence"))).contains(110);
        send(romeo, "<iq type='set' id='b1' to='" + ROOM + "'><query xmlns='" + MucScript.ADMIN + "'>"
                + "<item affiliation='outcast' jid='nurse@parley.test'/></query></iq>");
        // §7.2.8: forbidden for a banned user.
        assertThat(errorCondition(last(join(nurse, ROOM + "/nurse", ""), "presence"))).isEqualTo("forbidden");
    }

    @Test
    void messagesGoToEveryOccupantFromTheSendersOccupantJidWithAStanzaIdByTheRoom() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");
        romeo.received();

        List<Element> echoed = send(juliet, "<message type='groupchat' id='g1' to='" + ROOM + "'>"
                + "<body>Wherefore art thou?</body><stanza-id xmlns='urn:xmpp:sid:0' id='fake' by='" + ROOM
                + "'/></message>");

        // §7.4: "the service MUST ... send it to all occupants" including the sender, from the sender's occupant JID.
        Element toRomeo = last(romeo.received(), "message");
        assertThat(toRomeo.attributeValue("from")).isEqualTo(ROOM + "/juliet");
        assertThat(toRomeo.attributeValue("type")).isEqualTo("groupchat");
        assertThat(toRomeo.elementText("body")).isEqualTo("Wherefore art thou?");
        Element reflected = last(echoed, "message");
        assertThat(reflected.attributeValue("id")).isEqualTo("g1");
        // XEP-0359 §3: one stanza id, by the room; the sender's claim in the room's name is removed (§3.1).
        List<Element> ids = toRomeo.elements(QName.get("stanza-id", "urn:xmpp:sid:0"));
        assertThat(ids).hasSize(1);
        assertThat(ids.get(0).attributeValue("by")).isEqualTo(ROOM);
        assertThat(ids.get(0).attributeValue("id")).isNotEqualTo("fake");
        assertThat(ids.get(0).attributeValue("id")).isEqualTo(
                reflected.element(QName.get("stanza-id", "urn:xmpp:sid:0")).attributeValue("id"));
    }

    @Test
    void onlyOccupantsSpeakAndVisitorsOfModeratedRoomsDoNot() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_moderatedroom", "1");

        // §7.4: not-acceptable from someone not in the room.
        assertThat(errorCondition(last(send(nurse, "<message type='groupchat' to='" + ROOM + "'><body>hi</body>"
                + "</message>"), "message"))).isEqualTo("not-acceptable");
        List<Element> joined = join(juliet, ROOM + "/juliet", "");
        assertThat(item(joined.get(1)).attributeValue("role")).isEqualTo("visitor");
        // A visitor has no voice in a moderated room: forbidden.
        assertThat(errorCondition(last(send(juliet, "<message type='groupchat' to='" + ROOM + "'><body>hi</body>"
                + "</message>"), "message"))).isEqualTo("forbidden");
    }

    @Test
    void aNewcomerGetsTheHistoryItAsksForWithDelaysFromTheRoom() {
        createInstant(romeo, ROOM + "/romeo");
        for (int i = 1; i <= 4; i++) {
            send(romeo, "<message type='groupchat' to='" + ROOM + "'><body>line " + i + "</body></message>");
            clock.advance(Duration.ofMinutes(1));
        }

        // §7.2.15: maxstanzas limits the number of messages; they come after the presence, before the subject.
        List<Element> joined = join(juliet, ROOM + "/juliet", "<history maxstanzas='2'/>");
        List<Element> history = named(joined, "message").stream().filter(m -> m.element("body") != null).toList();
        assertThat(history).extracting(m -> m.elementText("body")).containsExactly("line 3", "line 4");
        assertThat(joined.get(joined.size() - 1).element("subject")).isNotNull();
        // XEP-0203: the delay is from the room, stamped with when the room got the message.
        Element delay = history.get(0).element(QName.get("delay", "urn:xmpp:delay"));
        assertThat(delay.attributeValue("from")).isEqualTo(ROOM);
        assertThat(delay.attributeValue("stamp")).isEqualTo("2026-01-01T00:02:00Z");
        assertThat(history.get(0).attributeValue("from")).isEqualTo(ROOM + "/romeo");

        // seconds: only what is newer; maxchars='0': none at all.
        List<Element> recent = join(nurse, ROOM + "/nurse", "<history seconds='150'/>");
        assertThat(named(recent, "message").stream().filter(m -> m.element("body") != null))
                .extracting(m -> m.elementText("body")).containsExactly("line 3", "line 4");
        send(nurse, "<presence type='unavailable' to='" + ROOM + "/nurse'/>");
        List<Element> none = join(nurse, ROOM + "/nurse", "<history maxchars='0'/>");
        assertThat(named(none, "message").stream().filter(m -> m.element("body") != null)).isEmpty();
        send(nurse, "<presence type='unavailable' to='" + ROOM + "/nurse'/>");
        List<Element> since = join(nurse, ROOM + "/nurse", "<history since='2026-01-01T00:02:30Z'/>");
        assertThat(named(since, "message").stream().filter(m -> m.element("body") != null))
                .extracting(m -> m.elementText("body")).containsExactly("line 4");
    }

    @Test
    void theSubjectIsSetByAModeratorAndGivenToNewcomers() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");

        // §8.1: a participant may not change the subject unless the room allows it.
        assertThat(errorCondition(last(send(juliet, "<message type='groupchat' to='" + ROOM + "'>"
                + "<subject>Love</subject></message>"), "message"))).isEqualTo("forbidden");
        Instant set = clock.instant();
        send(romeo, "<message type='groupchat' to='" + ROOM + "'><subject>Fire and ice</subject></message>");
        Element live = last(juliet.received(), "message");
        assertThat(live.elementText("subject")).isEqualTo("Fire and ice");
        assertThat(live.element(QName.get("delay", "urn:xmpp:delay"))).as("a change goes out live").isNull();

        // §7.2.15: the newcomer gets the subject last, from the occupant who set it, stamped with
        // when it was set (XEP-0203 <delay/> from the room; XEP-0045 1.34 "SHOULD").
        clock.advance(Duration.ofHours(2));
        Element subject = last(join(nurse, ROOM + "/nurse", ""), "message");
        assertThat(subject.elementText("subject")).isEqualTo("Fire and ice");
        assertThat(subject.attributeValue("from")).isEqualTo(ROOM + "/romeo");
        Element delay = subject.element(QName.get("delay", "urn:xmpp:delay"));
        assertThat(delay).isNotNull();
        assertThat(delay.attributeValue("from")).isEqualTo(ROOM);
        assertThat(Instant.parse(delay.attributeValue("stamp"))).isEqualTo(set);
    }

    @Test
    void privateMessagesGoToOneOccupantFromTheSendersOccupantJid() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");

        send(juliet, "<message type='chat' to='" + ROOM + "/romeo'><body>psst</body></message>");

        // §7.5: relayed from the sender's occupant JID, with an <x/> of muc#user.
        Element pm = last(romeo.received(), "message");
        assertThat(pm.attributeValue("from")).isEqualTo(ROOM + "/juliet");
        assertThat(pm.attributeValue("to")).isEqualTo("romeo@parley.test/garden");
        assertThat(pm.element(QName.get("x", MucScript.USER))).isNotNull();
        // §7.5: groupchat to one occupant is a bad request; an unknown nick is not found.
        assertThat(errorCondition(last(send(juliet, "<message type='groupchat' to='" + ROOM + "/romeo'>"
                + "<body>x</body></message>"), "message"))).isEqualTo("bad-request");
        assertThat(errorCondition(last(send(juliet, "<message type='chat' to='" + ROOM + "/tybalt'>"
                + "<body>x</body></message>"), "message"))).isEqualTo("item-not-found");
    }

    @Test
    void aNickChangeIsAnUnavailableWith303ThenTheNewPresence() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");
        romeo.received();

        List<Element> own = send(juliet, "<presence to='" + ROOM + "/jules'/>");

        // §7.6: unavailable from the old nick with status 303 and the new nick, then available from the new one.
        List<Element> seen = named(romeo.received(), "presence");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).attributeValue("type")).isEqualTo("unavailable");
        assertThat(seen.get(0).attributeValue("from")).isEqualTo(ROOM + "/juliet");
        assertThat(statusCodes(seen.get(0))).containsExactly(303);
        assertThat(item(seen.get(0)).attributeValue("nick")).isEqualTo("jules");
        assertThat(seen.get(1).attributeValue("from")).isEqualTo(ROOM + "/jules");
        assertThat(statusCodes(named(own, "presence").get(0))).containsExactly(303, 110);
        // §7.6: a nick in use is a conflict.
        assertThat(errorCondition(last(send(juliet, "<presence to='" + ROOM + "/romeo'/>"), "presence")))
                .isEqualTo("conflict");
    }

    /**
     * Smack's {@code mucChangeNicknameInformationTest} once missed an available presence. §7.6:
     * "The service then sends two presence stanzas to the full JID of each occupant (including the
     * occupant who is changing his or her room nickname), one of type "unavailable" for the old
     * nickname and one indicating availability for the new nickname." Here every occupant is
     * checked, with the change racing an availability change of the same client (written in one
     * burst) and one of another occupant: each gets exactly the two, in order, then the update.
     */
    @Test
    void everyOccupantGetsBothPresencesOfANickChangeInOrderEvenInABurst() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");
        join(nurse, ROOM + "/nurse", "");
        romeo.received();
        juliet.received();

        send(nurse, "<presence to='" + ROOM + "/nurse'><show>chat</show></presence>");
        List<Element> own = send(juliet, "<presence to='" + ROOM + "/jules'/>"
                + "<presence to='" + ROOM + "/jules'><show>away</show></presence>");

        for (List<Element> seen : List.of(aboutJuliet(romeo.received()), aboutJuliet(nurse.received()),
                aboutJuliet(own))) {
            assertThat(seen).extracting(p -> p.attributeValue("from") + " " + p.attributeValue("type"))
                    .containsExactly(ROOM + "/juliet unavailable", ROOM + "/jules null", ROOM + "/jules null");
            assertThat(statusCodes(seen.get(0))).contains(303);
            assertThat(item(seen.get(0)).attributeValue("nick")).isEqualTo("jules");
            assertThat(seen.get(1).elementText("show")).isNull();
            assertThat(seen.get(2).elementText("show")).isEqualTo("away");
        }
    }

    private static List<Element> aboutJuliet(List<Element> stanzas) {
        return named(stanzas, "presence").stream()
                .filter(p -> p.attributeValue("from").startsWith(ROOM + "/jul")).toList();
    }

    @Test
    void availabilityChangesAndExitsReachTheOthers() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");
        romeo.received();

        send(juliet, "<presence to='" + ROOM + "/juliet'><show>away</show></presence>");
        // §7.7: the new availability from the occupant JID.
        assertThat(last(romeo.received(), "presence").elementText("show")).isEqualTo("away");

        List<Element> own = send(juliet, "<presence type='unavailable' to='" + ROOM + "/juliet'>"
                + "<status>gone</status></presence>");
        // §7.14: unavailable to everyone, with role none; the leaver's own with 110.
        Element toRomeo = last(romeo.received(), "presence");
        assertThat(toRomeo.attributeValue("type")).isEqualTo("unavailable");
        assertThat(toRomeo.elementText("status")).isEqualTo("gone");
        assertThat(item(toRomeo).attributeValue("role")).isEqualTo("none");
        assertThat(statusCodes(last(own, "presence"))).containsExactly(110);
        assertThat(errorCondition(last(send(juliet, "<message type='groupchat' to='" + ROOM + "'><body>hi</body>"
                + "</message>"), "message"))).isEqualTo("not-acceptable");
    }

    @Test
    void aUserWithTwoResourcesIsOneOccupantWhoseSessionsBothGetTheRoom() {
        createInstant(romeo, ROOM + "/romeo");
        TestClient julietPhone = server.login("juliet@parley.test", "phone");
        join(juliet, ROOM + "/juliet", "");
        romeo.received();

        List<Element> second = join(julietPhone, ROOM + "/juliet", "");

        assertThat(statusCodes(last(second, "presence"))).contains(110);
        send(romeo, "<message type='groupchat' to='" + ROOM + "'><body>both?</body></message>");
        assertThat(last(juliet.received(), "message").elementText("body")).isEqualTo("both?");
        assertThat(last(julietPhone.received(), "message").elementText("body")).isEqualTo("both?");
        // Leaving with one resource keeps the occupant in the room.
        send(julietPhone, "<presence type='unavailable' to='" + ROOM + "/juliet'/>");
        assertThat(named(romeo.received(), "presence")).allMatch(p -> p.attributeValue("type") == null);
    }

    @Test
    void anOccupantSendingTooFastIsToldSoWithAPolicyViolation() {
        createInstant(romeo, ROOM + "/romeo");
        for (int i = 0; i < 5; i++) {
            send(romeo, "<message type='groupchat' to='" + ROOM + "'><body>" + i + "</body></message>");
        }

        // Issue 14 item 5: beyond muc.messages_per_minute, policy-violation with a text, never silence.
        Element refused = last(send(romeo, "<message type='groupchat' to='" + ROOM + "'><body>6</body></message>"),
                "message");
        assertThat(errorCondition(refused)).isEqualTo("policy-violation");
        assertThat(refused.element("error").elementText("text")).contains("5 messages a minute");
        clock.advance(Duration.ofMinutes(1));
        assertThat(last(send(romeo, "<message type='groupchat' to='" + ROOM + "'><body>7</body></message>"),
                "message").attributeValue("type")).isEqualTo("groupchat");
    }

    @Test
    void aNewcomerSeesEveryOccupantAfterARoleChange() {
        createInstant(romeo, ROOM + "/romeo");
        join(juliet, ROOM + "/juliet", "");
        send(romeo, "<iq type='set' id='r1' to='" + ROOM + "'><query xmlns='" + MucScript.ADMIN + "'>"
                + "<item nick='juliet' role='moderator'/></query></iq>");

        List<Element> joined = named(join(nurse, ROOM + "/nurse", ""), "presence");

        // §7.2.3: the presence of every occupant, then the newcomer's own.
        assertThat(joined).extracting(p -> p.attributeValue("from"))
                .containsExactly(ROOM + "/romeo", ROOM + "/juliet", ROOM + "/nurse");
        assertThat(item(joined.get(1)).attributeValue("role")).isEqualTo("moderator");
    }

    @Test
    void aUserWhoLeftAJustCreatedRoomCreatesItAgain() {
        // A room nobody configured vanishes with its creator (§10.1.1: a temporary room); entering it again creates it.
        join(romeo, ROOM + "/romeo", "");
        assertThat(statusCodes(last(send(romeo, "<presence type='unavailable' to='" + ROOM + "/romeo'/>"),
                "presence"))).contains(110);

        assertThat(statusCodes(last(join(romeo, ROOM + "/romeo", ""), "presence"))).contains(110, 201);
    }
    /**
     * Smack's {@code mucLeaveTest} (leave a room one just created, enter it again) in one burst:
     * the second presence waits in the room's turn behind the first, and the room that vanished
     * with its last occupant (§10.1: a temporary room) is created anew, locked again (201).
     */
    @Test
    void leavingATemporaryRoomAndEnteringAgainInOneBurstCreatesItAnew() {
        join(romeo, ROOM + "/romeo", "");

        List<Element> presences = named(leaveAndEnter(romeo, ROOM + "/romeo"), "presence");

        // §7.14: the exit's self-presence (unavailable, 110) comes first, then §10.1.1's creation (110, 201).
        assertThat(presences).extracting(p -> p.attributeValue("type")).containsExactly("unavailable", null);
        assertThat(statusCodes(presences.get(0))).containsExactly(110);
        assertThat(statusCodes(presences.get(1))).containsExactly(110, 201);
        assertThat(item(presences.get(1)).attributeValue("affiliation")).isEqualTo("owner");
    }

    @Test
    void leavingAPersistentRoomAndEnteringAgainInOneBurstEntersTheSameRoom() {
        createReserved(romeo, ROOM + "/romeo", "muc#roomconfig_persistentroom", "1",
                "muc#roomconfig_roomname", "The Garden");

        List<Element> burst = leaveAndEnter(romeo, ROOM + "/romeo");

        // §7.14 then §7.2: the room stays (no 201), with its configuration and owner (and its log, §7.2.12: 170).
        List<Element> presences = named(burst, "presence");
        assertThat(presences).extracting(p -> p.attributeValue("type")).containsExactly("unavailable", null);
        assertThat(statusCodes(presences.get(1))).containsExactly(110, 170);
        assertThat(item(presences.get(1)).attributeValue("affiliation")).isEqualTo("owner");
        assertThat(last(burst, "message").element("subject")).isNotNull();
        Element info = MucScript.send(juliet, "<iq type='get' id='d1' to='" + ROOM
                + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>").get(0).element("query");
        assertThat(info.element("identity").attributeValue("name")).isEqualTo("The Garden");
    }

    /** An exit and a new entry written together, as a client that leaves and re-enters at once. */
    private static List<Element> leaveAndEnter(TestClient client, String occupantJid) {
        return send(client, "<presence to='" + occupantJid + "' type='unavailable'/><presence to='" + occupantJid
                + "'><x xmlns='" + MucScript.MUC + "'/></presence>");
    }
}
