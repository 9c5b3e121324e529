package im.parley.conformance.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.cluster.LoopbackCluster.Node;
import im.parley.conformance.raw.RawXmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No groupchat message a server acknowledged is lost when the node that is its room's home dies
 * (issue 16): a room (XEP-0045) lives on one node of the cluster, and the other nodes hand it
 * the stanzas of their users.
 *
 * <p>XEP-0198 §4: what the server acknowledges ({@code h}) the client forgets, so a stanza to a
 * room on another node counts as handled only once that node took it. RFC 6120 §8.3 and XEP-0045
 * §7.4: what the server cannot handle is answered with an error; "If the sender is not an
 * occupant of the room, the service SHOULD return a &lt;not-acceptable/&gt; error": a room whose
 * node died is loaded again on another node (a persistent room), without its occupants, and its
 * former occupants must join again (§7.2).
 *
 * <p>The owner on the third node creates a persistent room there (its home); tybalt joins it
 * through the second node and, with stream management on, sends groupchat messages without
 * pause; the third node is killed with SIGKILL mid-way. Every message tybalt's server
 * acknowledged must come back to him, reflected by the room (§7.4: the room sends a message to
 * every occupant, the sender included) or as an error; none may vanish.
 */
class GroupChatWhenARoomsNodeDiesTest {

    private static final String DOMAIN = "rooms.cluster.test";
    private static final List<String> ADDRESSES = List.of("127.0.0.32", "127.0.0.33", "127.0.0.34");
    private static final String ROOM = "capulets@conference." + DOMAIN;
    private static final String MUC = "http://jabber.org/protocol/muc";
    private static final String SM = "urn:xmpp:sm:3";
    private static final Duration WAIT = LoopbackCluster.WAIT;
    /** Messages reflected before the kill, and errors after it, so that the load spans it. */
    private static final int PROGRESS = 20;

    @TempDir
    static Path dir;

    private static LoopbackCluster cluster;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        // A flood, not a chat: the room's limit per occupant (issue 14) would refuse most of it.
        cluster = LoopbackCluster.start(dir, DOMAIN, ADDRESSES,
                LoopbackCluster.withoutFederation("muc:\n  messages_per_minute: 100000"), "capulet", "tybalt");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyAcknowledgedGroupchatMessageReachesTheRoomOrComesBackWithAnError() throws Exception {
        Node second = cluster.node(1);
        Node third = cluster.node(2);
        try (RawXmppClient capulet = raw(third);
             RawXmppClient tybalt = raw(second)) {
            capulet.login("capulet", LoopbackCluster.PASSWORD, "house");
            createPersistentRoom(capulet);
            tybalt.login("tybalt", LoopbackCluster.PASSWORD, "street");
            tybalt.send("<presence to='" + ROOM + "/Tybalt'><x xmlns='" + MUC + "'/></presence>");
            tybalt.nextElement(e -> isSelfPresence(e, ROOM + "/Tybalt"));
            tybalt.send("<enable xmlns='" + SM + "'/>");
            tybalt.nextElement(e -> "enabled".equals(e.getName()) && SM.equals(e.getNamespaceURI()));

            RoomSender sender = new RoomSender(tybalt);
            sender.thread.start();
            try {
                await("the room reflects tybalt's messages").atMost(WAIT).until(() -> sender.reflected.size() >= PROGRESS);
                cluster.kill(third);
                await("the room is served again without tybalt: §7.4 errors").atMost(WAIT)
                        .until(() -> sender.errors.size() >= PROGRESS);
                sender.sending = false;
                await("the server handles every message sent").atMost(WAIT).until(sender::allHandled);
            } finally {
                sender.stop();
            }
            // The room's node may die after archiving a message and confirming it, before its
            // broadcast left: the message is in the room's archive (XEP-0313), not lost.
            Set<String> archived = joinAgainAndReadTheArchive(tybalt, sender);

            System.out.printf("%d messages acknowledged, %d reflected, %d errors (%s), %d in the archive%n",
                    sender.acknowledged().size(), sender.reflected.size(), sender.errors.size(),
                    Set.copyOf(sender.errors.values()), archived.size());
            assertThat(sender.acknowledged()).as("every acknowledged message came back, reflected or as an error, "
                    + "or is in the room's archive").allMatch(id -> sender.reflected.contains(id)
                    || sender.errors.containsKey(id) || archived.contains(id));
            assertThat(Set.copyOf(sender.errors.values())).as("XEP-0045 §7.4: tybalt is no occupant any more")
                    .containsExactly("not-acceptable");
            // RFC 6120 §10.1: the room took tybalt's messages in the order sent, also those handled
            // again after the kill: none reflected after one that came back with an error (one
            // may be both, if the room's node broadcast it and died before confirming it).
            assertThat(sender.reflectedInOrder).as("reflected in the order sent").isSorted();
            int firstError = sender.errors.keySet().stream().mapToInt(RoomSender::number).min().orElseThrow();
            assertThat(sender.reflectedInOrder).as("none taken after a message that came back with an error")
                    .allMatch(number -> number <= firstError);
            double handledAgain = LoopbackCluster.metric(second, "parley_cluster_forwards_unconfirmed_total", null);
            assertThat(handledAgain).as("messages were on their way to the killed node").isPositive();
        }
    }

    /**
     * §7.2: tybalt enters the room again (served by another node now; no history, §7.2.14), then
     * reads the last page of its archive (XEP-0313 §4, RSM {@code <before/>}): the bodies there.
     * Stanzas that come meanwhile go to {@code sender} as before.
     */
    private static Set<String> joinAgainAndReadTheArchive(RawXmppClient tybalt, RoomSender sender) {
        tybalt.send("<presence to='" + ROOM + "/Tybalt'><x xmlns='" + MUC + "'><history maxstanzas='0'/></x></presence>");
        sender.takeUntil(e -> isSelfPresence(e, ROOM + "/Tybalt"));
        tybalt.send("<iq type='set' id='archive' to='" + ROOM + "'><query xmlns='urn:xmpp:mam:2' queryid='last'>"
                + "<set xmlns='http://jabber.org/protocol/rsm'><before/></set></query></iq>");
        Set<String> archived = ConcurrentHashMap.newKeySet();
        Element answer = sender.takeUntil(e -> {
            Element result = e.element("result");
            if (result != null && "urn:xmpp:mam:2".equals(result.getNamespaceURI())) {
                archived.add(result.element("forwarded").element("message").elementText("body"));
                return false;
            }
            return "iq".equals(e.getName()) && "archive".equals(e.attributeValue("id"));
        });
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return archived;
    }

    /** §10.1.2 and §10.2: the owner enters, creating the room, and configures it persistent. */
    private static void createPersistentRoom(RawXmppClient owner) {
        owner.send("<presence to='" + ROOM + "/Capulet'><x xmlns='" + MUC + "'/></presence>");
        owner.nextElement(e -> isSelfPresence(e, ROOM + "/Capulet"));
        Element configured = owner.iq("<iq type='set' id='%s' to='" + ROOM + "'><query xmlns='" + MUC
                + "#owner'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>" + MUC
                + "#roomconfig</value></field><field var='muc#roomconfig_persistentroom'><value>1</value></field>"
                + "</x></query></iq>");
        assertThat(configured.attributeValue("type")).as(configured.asXML()).isEqualTo("result");
    }

    /**
     * Sends numbered groupchat messages to the room, five at a time, asking for the server's
     * {@code h} after each batch (XEP-0198 §4), on a thread of its own; records what the server
     * acknowledged, what the room reflected (by body) and the errors that came back (by id).
     */
    private static final class RoomSender implements Runnable {

        private final RawXmppClient client;
        final Thread thread = new Thread(this, "room-sender");
        private final List<String> sent = new CopyOnWriteArrayList<>();
        final Set<String> reflected = ConcurrentHashMap.newKeySet();
        /** The numbers of the messages reflected, in the order they came. */
        final List<Integer> reflectedInOrder = new CopyOnWriteArrayList<>();
        final Map<String, String> errors = new ConcurrentHashMap<>();
        private volatile long handled;
        private long received;
        volatile boolean sending = true;
        private volatile boolean stopped;

        RoomSender(RawXmppClient client) {
            this.client = client;
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!stopped) {
                if (sending && handled == sent.size()) {
                    for (int i = 0; i < 5; i++) {
                        String id = "m" + (sent.size() + 1);
                        client.send("<message to='" + ROOM + "' type='groupchat' id='" + id + "'><body>" + id
                                + "</body></message>");
                        sent.add(id);
                    }
                    client.send("<r xmlns='" + SM + "'/>");
                }
                Optional<Element> element = client.elementWithin(Duration.ofMillis(100));
                if (element.isPresent()) {
                    take(element.get());
                } else if (handled < sent.size()) {
                    client.send("<r xmlns='" + SM + "'/>");
                }
            }
        }

        /** Reads on this thread, once the sender's stopped: takes each element as before until one matches. */
        Element takeUntil(Predicate<Element> matching) {
            while (true) {
                Element element = client.nextElement();
                if (matching.test(element)) {
                    return element;
                }
                take(element);
            }
        }

        private void take(Element element) {
            if (SM.equals(element.getNamespaceURI())) {
                if ("a".equals(element.getName())) {
                    handled = Long.parseLong(element.attributeValue("h"));
                } else if ("r".equals(element.getName())) {
                    client.send("<a xmlns='" + SM + "' h='" + received + "'/>");
                }
                return;
            }
            received++;
            if (!"message".equals(element.getName())) {
                return;
            }
            if ("error".equals(element.attributeValue("type"))) {
                errors.put(element.attributeValue("id"), RawXmppClient.stanzaErrorCondition(element));
            } else if ((ROOM + "/Tybalt").equals(element.attributeValue("from")) && element.elementText("body") != null) {
                reflected.add(element.elementText("body"));
                reflectedInOrder.add(number(element.elementText("body")));
            }
        }

        /** The messages the server acknowledged: the first {@code h} sent (XEP-0198 §4). */
        List<String> acknowledged() {
            return List.copyOf(sent.subList(0, (int) handled));
        }

        boolean allHandled() {
            return handled == sent.size();
        }

        /** The number of message {@code id} ({@code m12}: 12). */
        static int number(String id) {
            return Integer.parseInt(id.substring(1));
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(WAIT.toMillis());
        }
    }

    private static RawXmppClient raw(Node node) throws Exception {
        return RawXmppClient.connect(node.address, node.c2sPort, node.certificate(DOMAIN)).toDomain(DOMAIN);
    }

    /** §7.2.3: the occupant's own presence carries status 110. */
    private static boolean isSelfPresence(Element element, String occupant) {
        return "presence".equals(element.getName()) && occupant.equals(element.attributeValue("from"))
                && element.elements("x").stream().filter(x -> (MUC + "#user").equals(x.getNamespaceURI()))
                .flatMap(x -> x.elements("status").stream()).anyMatch(s -> "110".equals(s.attributeValue("code")));
    }
}
