package im.parley.server.modules.pep;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.server.event.AccountWork;
import im.parley.server.event.StanzaEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Which presence makes a resource interested in an account's PEP nodes (XEP-0163 §4.1, §4.2):
 * a contact's, with its capabilities asked about; not a group chat occupant's (XEP-0045 §7.2.3),
 * which the room sends from an occupant JID that no account's nodes are for.
 */
class PresenceInterestTest {

    private static final String CAPS = "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://client.test'"
            + " ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>";

    private final InterestedResources interests = new InterestedResources();
    private final List<Stanza> sent = new ArrayList<>();
    private final PresenceInterest presence = new PresenceInterest(interests,
            new CapsResolver(new CapsCache(10), 10, Clock.systemUTC(), sent::add), null, Runnable::run);

    @Test
    void aContactsPresenceWithCapsIsTrackedAndItsCapsAskedFor_xep0163_4_2() throws Exception {
        presence.onPresence(event("romeo@parley.test/orchard", "<presence>" + CAPS + "</presence>"));

        assertThat(sent).as("a disco#info query about the caps").hasSize(1);
        assertThat(sent.get(0).to().toString()).isEqualTo("romeo@parley.test/orchard");
    }

    @Test
    void anOccupantsPresenceFromAGroupChatRoomIsPassedOver_xep0045_7_2_3() throws Exception {
        presence.onPresence(event("ball@conference.parley.test/romeo", "<presence>" + CAPS
                + "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/></x>"
                + "</presence>"));

        assertThat(sent).as("no caps query to an occupant JID").isEmpty();
        assertThat(interests.interestedIn(juliet(), "http://jabber.org/protocol/tune")).isEmpty();
    }

    private static EntityBareJid juliet() throws Exception {
        return JidCreate.entityBareFrom("juliet@parley.test");
    }

    private static StanzaEvent event(String from, String xml) throws Exception {
        Element element = DocumentHelper.parseText(xml).getRootElement();
        Jid to = JidCreate.from("juliet@parley.test/balcony");
        element.addAttribute("from", from).addAttribute("to", to.toString());
        return new StanzaEvent(new Stanza(element.createCopy(), JidCreate.from(from), to), Handling.none(),
                AccountWork.NONE, null);
    }
}
