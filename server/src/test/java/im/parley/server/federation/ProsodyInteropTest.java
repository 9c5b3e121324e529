package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.server.testing.SocketClient;
import org.junit.jupiter.api.Test;

/**
 * Parley federating with Prosody 0.12 (Debian package {@code prosody}), started by
 * {@code s2s-federation/src/test/peers/start-prosody.sh} on 127.0.0.41; Parley on 127.0.0.43:5269.
 * A missing Prosody fails the class.
 */
class ProsodyInteropTest extends StartedPeerScenarios {

    private static final String DEVICES = "eu.siacs.conversations.axolotl.devicelist";
    private static final String STATUS = "urn:example:parley:status";

    ProsodyInteropTest() {
        super(InteropPeer.PROSODY);
    }

    /**
     * PEP across federation: Prosody's user fetches the open OMEMO device list of Parley's user
     * (XEP-0384 §5.3, XEP-0060 §6.5) and, once its caps ask for a node ({@code +notify},
     * XEP-0163 §4.2, learnt by Parley with disco#info over the link), gets the last item
     * (§4.3.4) and then each new one (§4.3.3).
     */
    @Test
    void pepItemsAndNotificationsReachAProsodyUser() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice(), "laptop");
        SlixmppClient bob = peerLogin(pair.bob());
        publish(alice, DEVICES, "current", "<list xmlns='eu.siacs.conversations.axolotl'><device id='4711'/></list>",
                OPEN_ACCESS);

        JsonNode devices = bob.items(pair.alice(), DEVICES);
        assertThat(devices.path("event").asText()).as("%s", devices).isEqualTo("items");
        assertThat(devices.path("items").get(0).path("xml").asText()).contains("4711");

        subscribeBothWays(pair, alice, bob);
        publish(alice, STATUS, "s1", "<status xmlns='" + STATUS + "'>first</status>", "");
        bob.pepInterest(STATUS);
        JsonNode last = bob.next(SlixmppClient.pepEvent(pair.alice(), STATUS));
        assertThat(last.path("id").asText()).isEqualTo("s1");

        publish(alice, STATUS, "s2", "<status xmlns='" + STATUS + "'>second</status>", "");
        JsonNode live = bob.next(SlixmppClient.pepEvent(pair.alice(), STATUS));
        assertThat(live.path("id").asText()).isEqualTo("s2");
        assertThat(live.path("xml").asText()).contains("second");
    }

    /**
     * An explicit subscription across federation (XEP-0163 §5, XEP-0060 §6.1): Prosody's user, no
     * contact of Parley's, subscribes its bare JID to an open node, gets the last item (sent after
     * the answer, §6.1.7, which {@code PepSubscriptionsTest} checks; slixmpp may report the two in
     * either order) and each new one at its bare JID, which Prosody hands to its resource
     * (XEP-0163 §4.3.2 rule 2).
     */
    @Test
    void aProsodyUserSubscribesToAnOpenNode() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice(), "laptop");
        SlixmppClient bob = peerLogin(pair.bob());
        publish(alice, DEVICES, "current", "<list xmlns='eu.siacs.conversations.axolotl'><device id='1'/></list>",
                OPEN_ACCESS);

        JsonNode subscribed = bob.subscribe(pair.alice(), DEVICES);
        assertThat(subscribed.path("event").asText()).as("%s", subscribed).isEqualTo("subscribed");
        assertThat(subscribed.path("subscription").asText()).isEqualTo("subscribed");
        JsonNode last = bob.next(SlixmppClient.pepEvent(pair.alice(), DEVICES));
        assertThat(last.path("xml").asText()).contains("device id=\"1\"");

        publish(alice, DEVICES, "current", "<list xmlns='eu.siacs.conversations.axolotl'><device id='2'/></list>", "");
        JsonNode live = bob.next(SlixmppClient.pepEvent(pair.alice(), DEVICES));
        assertThat(live.path("xml").asText()).contains("device id=\"2\"");
    }
}
