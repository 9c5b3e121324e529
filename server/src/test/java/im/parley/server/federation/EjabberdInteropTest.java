package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.server.testing.SocketClient;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/**
 * Parley federating with ejabberd 23.01 (Debian package {@code ejabberd}), started by
 * {@code s2s-federation/src/test/peers/start-ejabberd.sh} on 127.0.0.42; Parley on 127.0.0.44:5269.
 * A missing ejabberd fails the class.
 */
class EjabberdInteropTest extends StartedPeerScenarios {

    private static final String AXOLOTL = "eu.siacs.conversations.axolotl";
    private static final String DEVICES = AXOLOTL + ".devicelist";
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";

    EjabberdInteropTest() {
        super(InteropPeer.EJABBERD);
    }

    /**
     * OMEMO across federation, both ways (issue 13 item 3): each user publishes its device list
     * and a bundle with {@code pubsub#access_model=open} (XEP-0384 §5.3, publish-options
     * XEP-0060 §7.1.5, as Conversations does), and each fetches the other's over s2s (XEP-0060
     * §6.5), which is how a client starts an encrypted session with someone not on its roster.
     * Once subscribed, ejabberd's user, {@code +notify} for device lists in its caps (XEP-0163
     * §4.2, learnt by Parley with disco#info over the link), gets Parley's user's list (§4.3.4).
     */
    @Test
    void omemoDeviceListsAndBundlesCrossBothWays() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice(), "laptop");
        SlixmppClient bob = peerLogin(pair.bob());
        publish(alice, DEVICES, "current", devices(4711), OPEN_ACCESS);
        publish(alice, bundles(4711), "current", bundle("alice"), OPEN_ACCESS);
        for (Map.Entry<String, String> item : Map.of(DEVICES, devices(31415), bundles(31415), bundle("bob")).entrySet()) {
            JsonNode published = bob.publish(item.getKey(), "current", item.getValue(), Map.of("pubsub#access_model", "open"));
            assertThat(published.path("event").asText()).as("ejabberd publishes %s: %s", item.getKey(), published)
                    .isEqualTo("published");
        }

        // ejabberd's user reads Parley's user's nodes, through Parley's PEP service.
        assertThat(bob.items(pair.alice(), DEVICES).path("items").get(0).path("xml").asText()).contains("4711");
        assertThat(bob.items(pair.alice(), bundles(4711)).path("items").get(0).path("xml").asText())
                .contains("identity-of-alice");
        // Parley's user reads ejabberd's user's nodes, through ejabberd's.
        assertThat(items(alice, pair.bob(), DEVICES).asXML()).contains("31415");
        assertThat(items(alice, pair.bob(), bundles(31415)).asXML()).contains("identity-of-bob");

        subscribeBothWays(pair, alice, bob);
        bob.pepInterest(DEVICES);
        JsonNode event = bob.next(SlixmppClient.pepEvent(pair.alice(), DEVICES));
        assertThat(event.path("xml").asText()).contains("4711");
    }

    /** The items of {@code owner}'s {@code node}, asked from Parley across the link; the result. */
    private static Element items(SocketClient client, String owner, String node) {
        String id = "items-" + node.hashCode();
        client.send("<iq type='get' id='" + id + "' to='" + owner + "'><pubsub xmlns='" + PUBSUB + "'><items node='"
                + node + "'/></pubsub></iq>");
        Element answer = client.next(e -> id.equals(e.attributeValue("id")));
        assertThat(answer.attributeValue("type")).as("%s", answer.asXML()).isEqualTo("result");
        return answer;
    }

    private static String devices(int id) {
        return "<list xmlns='" + AXOLOTL + "'><device id='" + id + "'/></list>";
    }

    private static String bundles(int device) {
        return AXOLOTL + ".bundles:" + device;
    }

    /** A bundle as Conversations publishes it (keys shortened: nobody decrypts here). */
    private static String bundle(String owner) {
        return "<bundle xmlns='" + AXOLOTL + "'><signedPreKeyPublic signedPreKeyId='1'>c3BrLQ==</signedPreKeyPublic>"
                + "<signedPreKeySignature>c2lnLQ==</signedPreKeySignature><identityKey>identity-of-" + owner
                + "</identityKey><prekeys><preKeyPublic preKeyId='1'>cGstMQ==</preKeyPublic></prekeys></bundle>";
    }
}
