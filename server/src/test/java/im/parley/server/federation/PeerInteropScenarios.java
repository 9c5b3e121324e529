package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.server.testing.SocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Federation between Parley and a real XMPP server from Debian's packages, both ways: messages
 * (RFC 6120 §8, §10.4), the subscription handshake (RFC 6121 §3.1) ending in "both" on each
 * server, presence broadcast, probes and unavailable presence (RFC 6121 §4). Parley's users are
 * driven by {@link SocketClient}, the peer's by slixmpp ({@link SlixmppClient}). Each test uses
 * fresh accounts so no roster state leaks between tests.
 *
 * <p>The peer reaches Parley through /etc/hosts and port 5269 (it has no SRV records); Parley
 * reaches the peer by a static route. Neither server has a certificate the other trusts: both
 * fall back to Server Dialback (XEP-0220).
 */
abstract class PeerInteropScenarios {

    private static final AtomicInteger USERS = new AtomicInteger();

    private final List<AutoCloseable> clients = new ArrayList<>();

    /** The running Parley server. */
    abstract FederatedServer parley();

    abstract String parleyDomain();

    abstract String peerDomain();

    /** Creates {@code user@peerDomain()} on the peer with {@code password}. */
    abstract void createPeerUser(String user, String password) throws Exception;

    /** A slixmpp client of {@code user@peerDomain()}, logged in and available. */
    abstract SlixmppClient loginPeer(String user, String password) throws Exception;

    @AfterEach
    void closeClients() throws Exception {
        for (int i = clients.size() - 1; i >= 0; i--) {
            clients.get(i).close();
        }
        clients.clear();
    }

    /** RFC 6120 §10.4: a message from a Parley user to a peer user, and the reply. */
    @Test
    void messagesFlowBothWays() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice, "laptop");
        SlixmppClient bob = peerLogin(pair.bob);

        alice.send("<message to='" + pair.bob + "' type='chat' id='to-peer'><body>hello peer</body></message>");
        JsonNode received = bob.next(SlixmppClient.messageEvent("to-peer"));
        assertThat(received.path("from").asText()).isEqualTo(pair.alice + "/laptop");
        assertThat(received.path("body").asText()).isEqualTo("hello peer");

        bob.sendMessage(pair.alice + "/laptop", "to-parley", "hello parley");
        Element reply = alice.next(e -> "to-parley".equals(e.attributeValue("id")));
        assertThat(reply.attributeValue("from")).startsWith(pair.bob + "/");
        assertThat(reply.elementText("body")).isEqualTo("hello parley");
    }

    /**
     * RFC 6121 §3.1 in both directions: each user subscribes, the other approves; §3.1.5 each
     * approval brings the contact's presence; both rosters end with "both" (Appendix A).
     */
    @Test
    void subscriptionHandshakeEndsInBothOnEachServer() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice, "laptop");
        SlixmppClient bob = peerLogin(pair.bob);
        subscribeBothWays(pair, alice, bob);

        assertThat(CrossDomainRosters.item(alice, pair.bob).attributeValue("subscription")).isEqualTo("both");
        JsonNode peerRoster = bob.roster();
        assertThat(peerRoster.path(pair.alice).path("subscription").asText()).as("peer roster %s", peerRoster)
                .isEqualTo("both");
    }

    /**
     * RFC 6121 §4.4: presence updates cross both ways; §4.5.2: a client that goes offline
     * becomes unavailable on the other server; §4.3: a new login probes across the link and
     * gets the contact's presence.
     */
    @Test
    void presenceBroadcastProbesAndUnavailableBothWays() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice, "laptop");
        SlixmppClient bob = peerLogin(pair.bob);
        subscribeBothWays(pair, alice, bob);

        bob.sendPresence("away", "at lunch", null);
        Element away = alice.next(presenceFrom(pair.bob, e -> "away".equals(e.elementText("show"))));
        assertThat(away.elementText("status")).isEqualTo("at lunch");

        alice.send("<presence><show>dnd</show><status>busy</status></presence>");
        JsonNode dnd = bob.next(e -> SlixmppClient.presenceEvent(pair.alice + "/laptop", "").test(e)
                && "dnd".equals(e.path("show").asText()));
        assertThat(dnd.path("status").asText()).isEqualTo("busy");

        // Parley's user logs in again elsewhere: Parley probes the peer, which answers (§4.3.2).
        SocketClient aliceTablet = parleyLogin(pair.alice, "tablet");
        Element answered = aliceTablet.next(presenceFrom(pair.bob, e -> e.attributeValue("type") == null));
        assertThat(answered.elementText("show")).isEqualTo("away");

        // The peer's user closes its session: Parley's user sees it go (§4.5.2).
        bob.close();
        alice.next(presenceFrom(pair.bob, e -> "unavailable".equals(e.attributeValue("type"))));

        // The peer's user logs in again: the peer probes Parley, which answers (§4.3.2).
        SlixmppClient bobAgain = peerLogin(pair.bob);
        bobAgain.next(SlixmppClient.presenceEvent(pair.alice + "/laptop", ""));
        alice.next(presenceFrom(pair.bob, e -> e.attributeValue("type") == null));

        // Parley's user goes offline: the peer's user sees both resources go (§4.5.2).
        aliceTablet.send("<presence type='unavailable'/>");
        bobAgain.next(SlixmppClient.presenceEvent(pair.alice + "/tablet", "unavailable"));
        alice.close();
        bobAgain.next(SlixmppClient.presenceEvent(pair.alice + "/laptop", "unavailable"));
    }

    /** RFC 6121 §4.6: directed presence without a subscription, both ways, and its unavailable (§4.6.3). */
    @Test
    void directedPresenceBothWays() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice, "laptop");
        SlixmppClient bob = peerLogin(pair.bob);

        alice.send("<presence to='" + bob.jid() + "'><status>from parley</status></presence>");
        JsonNode seenByBob = bob.next(SlixmppClient.presenceEvent(pair.alice + "/laptop", ""));
        assertThat(seenByBob.path("status").asText()).isEqualTo("from parley");

        bob.sendPresence(null, "from the peer", pair.alice + "/laptop");
        Element seenByAlice = alice.next(presenceFrom(pair.bob, e -> e.attributeValue("type") == null));
        assertThat(seenByAlice.elementText("status")).isEqualTo("from the peer");

        // §4.6.3 on Parley's side: unavailable presence reaches the directed-presence recipient.
        alice.send("<presence type='unavailable'/>");
        bob.next(SlixmppClient.presenceEvent(pair.alice + "/laptop", "unavailable"));

        // §4.6.3 on the peer's side: the peer's user leaves; Parley's user, available again, is told.
        alice.send("<presence/>");
        bob.close();
        alice.next(presenceFrom(pair.bob, e -> "unavailable".equals(e.attributeValue("type"))));
        // No subscription was made: Parley's roster stays empty (§4.6.2).
        assertThat(CrossDomainRosters.roster(alice).elements()).isEmpty();
    }

    /**
     * XEP-0060 across federation: Parley's user creates a node on Parley's publish-subscribe
     * service, {@code pubsub.<parley domain>} (§8.1); the peer's user subscribes to it over s2s
     * (§6.1), gets what is published there (§7.1.2) and reads the node's items (§6.5).
     */
    @Test
    void aPeerUserSubscribesToANodeOfParleysPubsubService() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice, "laptop");
        SlixmppClient bob = peerLogin(pair.bob);
        String service = pubsubService(parleyDomain());
        String node = "feed-" + localPart(pair.alice);
        alice.send("<iq type='set' id='create' to='" + service + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<create node='" + node + "'/></pubsub></iq>");
        assertThat(alice.next(e -> "create".equals(e.attributeValue("id"))).attributeValue("type")).isEqualTo("result");

        JsonNode subscribed = bob.subscribe(service, node);
        assertThat(subscribed.path("event").asText()).as("%s", subscribed).isEqualTo("subscribed");
        assertThat(subscribed.path("subscription").asText()).isEqualTo("subscribed");

        alice.send("<iq type='set' id='pub' to='" + service + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<publish node='" + node + "'><item id='n1'><entry xmlns='urn:example:feed'>across</entry></item>"
                + "</publish></pubsub></iq>");
        assertThat(alice.next(e -> "pub".equals(e.attributeValue("id"))).attributeValue("type")).isEqualTo("result");
        JsonNode event = bob.next(SlixmppClient.pepEvent(service, node));
        assertThat(event.path("xml").asText()).contains("across");
        assertThat(bob.items(service, node).path("items").get(0).path("xml").asText()).contains("across");
    }

    /**
     * XEP-0045 with the peer's user as the guest of a Parley room: Parley's user creates an
     * instant room (§10.1.2) on {@code conference.<parley domain>}; the peer's user enters it over
     * s2s (§7.2.3: the occupants first, then its own presence with status 110), both talk in the
     * room (§7.4) and privately (§7.5), and the guest leaves (§7.14).
     */
    @Test
    void aPeerUserEntersTalksAndLeavesAParleyRoom() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice, "laptop");
        SlixmppClient bob = peerLogin(pair.bob);
        String room = "lounge-" + localPart(pair.alice) + "@" + mucService(parleyDomain());
        String aliceNick = room + "/alice";
        String bobNick = room + "/bob";
        MucSteps.createInstant(alice, aliceNick);

        bob.enterRoom(bobNick);
        bob.next(SlixmppClient.presenceEvent(aliceNick, ""));
        JsonNode self = bob.next(SlixmppClient.mucPresence(bobNick, 110));
        assertThat(self.path("type").asText()).as("%s", self).isEmpty();
        assertThat(self.path("to").asText()).isEqualTo(bob.jid());
        alice.next(MucSteps.presenceFrom(bobNick));

        talk(room, alice, aliceNick, bob, bobNick);

        bob.sendPresence(bobNick, "unavailable");
        bob.next(e -> SlixmppClient.mucPresence(bobNick, 110).test(e) && "unavailable".equals(e.path("type").asText()));
        assertThat(alice.next(MucSteps.presenceFrom(bobNick)).attributeValue("type")).isEqualTo("unavailable");
    }

    /**
     * XEP-0045 with Parley's user as the guest of a room of the peer: the peer's user creates an
     * instant room on {@code conference.<peer domain>}, Parley's user enters it over s2s, both
     * talk in the room and privately, and Parley's user leaves (§7.2.3, §7.4, §7.5, §7.14).
     */
    @Test
    void aParleyUserEntersTalksAndLeavesAPeerRoom() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice, "laptop");
        SlixmppClient bob = peerLogin(pair.bob);
        String room = "terrace-" + localPart(pair.bob) + "@" + mucService(peerDomain());
        String aliceNick = room + "/alice";
        String bobNick = room + "/bob";
        bob.enterRoom(bobNick);
        JsonNode created = bob.next(SlixmppClient.mucPresence(bobNick, 110));
        assertThat(created.path("codes").toString()).as("%s", created).contains("201");
        assertThat(bob.instantRoom(room)).isEqualTo("result");

        Element self = MucSteps.enter(alice, aliceNick);
        assertThat(self.attributeValue("type")).as("%s", self.asXML()).isNull();
        assertThat(self.attributeValue("to")).isEqualTo(alice.jid());
        bob.next(SlixmppClient.presenceEvent(aliceNick, ""));

        talk(room, alice, aliceNick, bob, bobNick);

        alice.send("<presence to='" + aliceNick + "' type='unavailable'/>");
        Element gone = alice.next(MucSteps.selfPresence(aliceNick));
        assertThat(gone.attributeValue("type")).isEqualTo("unavailable");
        bob.next(SlixmppClient.presenceEvent(aliceNick, "unavailable"));
    }

    /**
     * An occupant whose client goes offline leaves the rooms of the other server (XEP-0045
     * §7.14; its server sends unavailable presence to them, RFC 6121 §4.6.3): Parley's user
     * leaves the peer's room, the peer's user leaves Parley's room.
     */
    @Test
    void occupantsWhoGoOfflineLeaveTheRoomsOfTheOtherServer() throws Exception {
        Pair pair = freshPair();
        SocketClient alice = parleyLogin(pair.alice, "laptop");
        SlixmppClient bob = peerLogin(pair.bob);
        String parleyRoom = "porch-" + localPart(pair.alice) + "@" + mucService(parleyDomain());
        String peerRoom = "attic-" + localPart(pair.bob) + "@" + mucService(peerDomain());
        SocketClient aliceTablet = parleyLogin(pair.alice, "tablet");
        MucSteps.createInstant(aliceTablet, parleyRoom + "/alice");
        bob.enterRoom(peerRoom + "/bob");
        bob.next(SlixmppClient.mucPresence(peerRoom + "/bob", 110));
        assertThat(bob.instantRoom(peerRoom)).isEqualTo("result");

        bob.enterRoom(parleyRoom + "/bob");
        bob.next(SlixmppClient.mucPresence(parleyRoom + "/bob", 110));
        MucSteps.enter(alice, peerRoom + "/alice");
        bob.next(SlixmppClient.presenceEvent(peerRoom + "/alice", ""));
        aliceTablet.next(MucSteps.presenceFrom(parleyRoom + "/bob"));

        alice.close();
        bob.next(SlixmppClient.presenceEvent(peerRoom + "/alice", "unavailable"));
        bob.close();
        Element gone = aliceTablet.next(MucSteps.presenceFrom(parleyRoom + "/bob"));
        assertThat(gone.attributeValue("type")).isEqualTo("unavailable");
    }

    /** Both occupants send to the room (XEP-0045 §7.4) and to each other's occupant JID (§7.5). */
    private static void talk(String room, SocketClient alice, String aliceNick, SlixmppClient bob, String bobNick) {
        bob.sendMessage(room, "g-bob", "hello from the peer", "groupchat");
        alice.next(MucSteps.messageFrom(bobNick, "groupchat", "hello from the peer"));
        bob.next(SlixmppClient.messageEvent(bobNick, "groupchat", "hello from the peer"));
        alice.send("<message to='" + room + "' type='groupchat' id='g-alice'><body>hello from parley</body></message>");
        bob.next(SlixmppClient.messageEvent(aliceNick, "groupchat", "hello from parley"));
        alice.next(MucSteps.messageFrom(aliceNick, "groupchat", "hello from parley"));

        bob.sendMessage(aliceNick, "p-bob", "psst from the peer", "chat");
        Element private1 = alice.next(MucSteps.messageFrom(bobNick, "chat", "psst from the peer"));
        assertThat(private1.attributeValue("to")).isEqualTo(alice.jid());
        alice.send("<message to='" + bobNick + "' type='chat' id='p-alice'><body>psst from parley</body></message>");
        JsonNode private2 = bob.next(SlixmppClient.messageEvent(aliceNick, "chat", "psst from parley"));
        assertThat(private2.path("to").asText()).isEqualTo(bob.jid());
    }

    /** The group chat service of {@code domain}, as Parley and the peer scripts name it. */
    static String mucService(String domain) {
        return "conference." + domain;
    }

    /** Parley's publish-subscribe service of {@code domain} (its default {@code pubsub.subdomain}). */
    static String pubsubService(String domain) {
        return "pubsub." + domain;
    }

    private static String localPart(String jid) {
        return jid.substring(0, jid.indexOf('@'));
    }

    void subscribeBothWays(Pair pair, SocketClient alice, SlixmppClient bob) {
        // Parley's user subscribes; the peer's user approves (§3.1.2 to §3.1.6).
        alice.send("<presence to='" + pair.bob + "' type='subscribe'/>");
        bob.next(SlixmppClient.presenceEvent(pair.alice, "subscribe"));
        bob.sendPresence(pair.alice, "subscribed");
        CrossDomainRosters.receivesAll(alice,
                e -> "presence".equals(e.getName()) && pair.bob.equals(e.attributeValue("from"))
                        && "subscribed".equals(e.attributeValue("type")),
                presenceFrom(pair.bob, e -> e.attributeValue("type") == null));

        // The peer's user subscribes; Parley's user approves.
        bob.sendPresence(pair.alice, "subscribe");
        alice.next(e -> "presence".equals(e.getName()) && pair.bob.equals(e.attributeValue("from"))
                && "subscribe".equals(e.attributeValue("type")));
        alice.send("<presence to='" + pair.bob + "' type='subscribed'/>");
        bob.next(SlixmppClient.presenceEvent(pair.alice, "subscribed"));
        bob.next(SlixmppClient.presenceEvent(pair.alice + "/laptop", ""));
    }

    Pair freshPair() throws Exception {
        int n = USERS.incrementAndGet();
        String alice = "alice" + n + "@" + parleyDomain();
        String bob = "bob" + n + "@" + peerDomain();
        parley().user(alice);
        createPeerUser("bob" + n, "secret");
        return new Pair(alice, bob);
    }

    SocketClient parleyLogin(String jid, String resource) throws Exception {
        return CrossDomainRosters.login(parley(), jid, resource);
    }

    SlixmppClient peerLogin(String jid) throws Exception {
        SlixmppClient client = loginPeer(jid.substring(0, jid.indexOf('@')), "secret");
        clients.add(client);
        return client;
    }

    /** XEP-0060 §7.1.5 publish-options: {@code pubsub#access_model=open}, as OMEMO publishes (XEP-0384 §5.3.2). */
    static final String OPEN_ACCESS = "<publish-options><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
            + "<value>http://jabber.org/protocol/pubsub#publish-options</value></field><field var='pubsub#access_model'>"
            + "<value>open</value></field></x></publish-options>";

    /** Publishes to the PEP node of {@code owner}'s account (XEP-0163 §3), {@code options} after the publish. */
    static void publish(SocketClient owner, String node, String id, String payload, String options) {
        owner.send("<iq type='set' id='pub-" + id + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='"
                + node + "'><item id='" + id + "'>" + payload + "</item></publish>" + options + "</pubsub></iq>");
        assertThat(owner.next(e -> ("pub-" + id).equals(e.attributeValue("id"))).attributeValue("type")).isEqualTo("result");
    }

    /** A presence whose 'from' is a resource of {@code bareJid}. */
    private static Predicate<Element> presenceFrom(String bareJid, Predicate<Element> more) {
        return e -> "presence".equals(e.getName()) && e.attributeValue("from") != null
                && e.attributeValue("from").startsWith(bareJid + "/") && more.test(e);
    }

    record Pair(String alice, String bob) {
    }

}
