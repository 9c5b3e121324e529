package im.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.Handling;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.config.ClusterOptions;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.SessionEvents;
import im.parley.server.event.Verdict;
import im.parley.server.host.HostRegistry;
import im.parley.server.routing.Undeliverable;
import im.parley.server.session.LocalSession;
import im.parley.server.testing.LoopbackPorts;
import im.parley.server.testing.RecordingSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes in one JVM (Hazelcast members on loopback ports), each with its own route
 * table, hosts and a router that records what it is asked to route: the shared route table and
 * the stanza channel between nodes, without sockets for clients. The three-process test with
 * real clients is conformance-tests' {@code ThreeNodeClusterTest}.
 */
class ClusteredRouteTableTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DOMAIN = "cluster.test";
    /** Longer than any test: a stanza is handled by its sender only when its node leaves, unless a test says otherwise. */
    private static final Duration FORWARD_TIMEOUT = Duration.ofMinutes(5);

    private final List<Node> nodes = new ArrayList<>();
    private List<String> members;
    private Node first;
    private Node second;

    /**
     * One node: its cluster, its hosts, what it handled as undeliverable, the sessions it ended,
     * the stanzas other nodes handed it as a room's home and the work each of them starts there
     * (the room's turn: done at once unless a test says otherwise).
     */
    private record Node(Cluster cluster, HostRegistry hosts, List<Stanza> routed, List<LocalSession> closed,
                        List<Stanza> homed, AtomicReference<CompletableFuture<Void>> roomTurn,
                        List<Optional<LocalSession>> sendersSeen) {

        ClusteredRouteTable routes() {
            return cluster.routes();
        }

        String id() {
            return routes().node().localId();
        }
    }

    @BeforeEach
    void twoNodes() throws Exception {
        int[] ports = {freePort(), freePort()};
        members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
        first = start(ports[0], members, FORWARD_TIMEOUT);
        second = start(ports[1], members, FORWARD_TIMEOUT);
        for (Node node : nodes) {
            await().atMost(WAIT).until(() -> node.routes().node().members() == 2);
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(node -> node.cluster().close());
    }

    @Test
    void aSessionBoundOnOneNodeIsSeenOnTheOtherWithItsPresence() throws Exception {
        RecordingSession romeo = available(first, "romeo@" + DOMAIN + "/phone", 5,
                "<presence xmlns='jabber:client'><show>away</show><priority>5</priority></presence>");

        LocalSession seen = await().atMost(WAIT).until(() -> second.routes().find(romeo.jid()),
                session -> session.isPresent() && session.get().isAvailable()).orElseThrow();

        assertThat(seen).isInstanceOf(RemoteSession.class);
        assertThat(seen.priority()).isEqualTo(5);
        assertThat(seen.sharedPresence().elementText("show")).isEqualTo("away");
        assertThat(second.routes().sessionsOf(romeo.jid().asEntityBareJid())).containsExactly(seen);
        assertThat(second.routes().all()).as("this node's own sessions only").isEmpty();
    }

    /**
     * RFC 6121 §2.1.6 and §4.6.2 across nodes: whether a session requested the roster (roster
     * pushes go to it) and whom it sent directed presence to travel with its route; directed
     * presence recipients are forgotten when it becomes unavailable (remembered only while
     * available, §4.6.2).
     */
    @Test
    void rosterInterestAndDirectedPresenceRecipientsAreSeenOnTheOtherNode() throws Exception {
        RecordingSession romeo = available(first, "romeo@" + DOMAIN + "/phone", 0, "<presence xmlns='jabber:client'/>");
        first.routes().sharing().shareRosterRequested(romeo);
        Jid room = Jids.parse("verona@rooms." + DOMAIN + "/romeo");
        Jid nurse = Jids.parse("nurse@" + DOMAIN);
        first.routes().sharing().shareDirectedPresence(romeo, Set.of(room, nurse));

        LocalSession seen = await().atMost(WAIT).until(() -> second.routes().find(romeo.jid()),
                session -> session.isPresent() && session.get().sharedDirectedPresence().size() == 2).orElseThrow();
        assertThat(seen.sharedRosterInterest()).isTrue();
        assertThat(seen.sharedDirectedPresence()).containsExactlyInAnyOrder(room, nurse);
        assertThat(romeo.sharedRosterInterest()).as("a session of this node: the roster module knows").isFalse();

        romeo.updatePresence(false, 0);
        first.routes().sharing().share(romeo, null);

        LocalSession unavailable = await().atMost(WAIT).until(() -> second.routes().find(romeo.jid()),
                session -> session.isPresent() && !session.get().isAvailable()).orElseThrow();
        assertThat(unavailable.sharedDirectedPresence()).isEmpty();
        assertThat(unavailable.sharedRosterInterest()).as("until the session ends").isTrue();
    }

    /**
     * XEP-0280 §4, §5 and XEP-0191 §3.2 across nodes: whether a session has carbons enabled (it
     * gets copies of messages routed on any node) and whether it retrieved its block list (it gets
     * pushes) travel with its route; disabling carbons is shared too, block-list interest lasts.
     */
    @Test
    void carbonsAndBlockListInterestAreSeenOnTheOtherNode() throws Exception {
        RecordingSession romeo = available(first, "romeo@" + DOMAIN + "/phone", 0, "<presence xmlns='jabber:client'/>");
        first.routes().sharing().shareCarbons(romeo, true);
        first.routes().sharing().shareBlockListRequested(romeo);

        LocalSession seen = await().atMost(WAIT).until(() -> second.routes().find(romeo.jid()),
                session -> session.isPresent() && session.get().sharedCarbons()).orElseThrow();
        assertThat(seen.sharedBlockListInterest()).isTrue();
        assertThat(romeo.sharedCarbons()).as("a session of this node: the carbons module knows").isFalse();

        first.routes().sharing().shareCarbons(romeo, false);

        LocalSession disabled = await().atMost(WAIT).until(() -> second.routes().find(romeo.jid()),
                session -> session.isPresent() && !session.get().sharedCarbons()).orElseThrow();
        assertThat(disabled.sharedBlockListInterest()).as("until the session ends").isTrue();
    }

    /** RFC 6120 §10.1: one sender's stanzas reach the session on the other node in the order routed. */
    @Test
    void stanzasDeliveredToARemoteSessionArriveOnItsNodeInOrder() throws Exception {
        RecordingSession juliet = new RecordingSession("juliet@" + DOMAIN + "/desk");
        LocalSession remote = boundOnSecondAsSeenFrom(first, juliet);

        List<String> ids = IntStream.range(0, 200).mapToObj(i -> "m" + i).toList();
        for (String id : ids) {
            remote.deliver(message(id, juliet.jid()));
        }

        await().atMost(WAIT).until(() -> juliet.received.size() == ids.size());
        assertThat(juliet.received).extracting(e -> e.attributeValue("id")).containsExactlyElementsOf(ids);
    }

    /**
     * RFC 6121 §8.5.3.2, XEP-0198 §5: the node of a session that ended handles what arrives for
     * it as for an unavailable resource (a chat message is stored offline).
     */
    @Test
    void aStanzaForASessionThatEndedIsHandledAsForAnUnavailableResourceOnItsNode() throws Exception {
        RecordingSession juliet = new RecordingSession("juliet@" + DOMAIN + "/desk");
        LocalSession remote = boundOnSecondAsSeenFrom(first, juliet);
        second.routes().unbind(juliet);

        remote.deliver(message("late", juliet.jid()));

        await().atMost(WAIT).until(() -> second.routed().size() == 1);
        assertThat(second.routed().get(0).to().toString()).isEqualTo(juliet.jid().toString());
        assertThat(second.routed().get(0).id()).isEqualTo("late");
        assertThat(juliet.received).isEmpty();
        await().atMost(WAIT).until(() -> first.routes().find(juliet.jid()).isEmpty());
    }

    /**
     * XEP-0198 §4: a stanza counts as handled once its effect is durable; for a session on
     * another node, once that node wrote it to the session and confirmed it.
     */
    @Test
    void aStanzaForASessionOnAnotherNodeIsHandledOnceThatNodeConfirmedIt() throws Exception {
        RecordingSession juliet = new RecordingSession("juliet@" + DOMAIN + "/desk");
        LocalSession remote = boundOnSecondAsSeenFrom(first, juliet);
        AtomicInteger receivedWhenHandled = new AtomicInteger(-1);

        Handling handling = Handling.begin();
        remote.deliver(message("m1", juliet.jid()), handling);
        handling.end();
        handling.completion().thenRun(() -> receivedWhenHandled.set(juliet.received.size()));

        await().atMost(WAIT).until(handling::isComplete);
        assertThat(receivedWhenHandled.get()).as("written to the session before it counted as handled").isEqualTo(1);
        assertThat(first.routed()).isEmpty();
    }

    /**
     * A node that leaves before it confirmed what it was sent: the sender handles those stanzas
     * itself, as for an unavailable resource (XEP-0198 §5: stored offline), in the order it sent
     * them (RFC 6120 §10.1), and only then counts them as handled.
     */
    @Test
    void whatANodeLeavesUnconfirmedIsHandledByTheSenderInOrder() throws Exception {
        RecordingSession juliet = new RecordingSession("juliet@" + DOMAIN + "/desk");
        LocalSession remote = boundOnSecondAsSeenFrom(first, juliet);
        // A stopping node takes no more stanzas: nothing it is sent now is confirmed.
        second.cluster().settle(Duration.ZERO);
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> "m" + i).toList();
        List<Handling> handlings = new ArrayList<>();
        for (String id : ids) {
            Handling handling = Handling.begin();
            remote.deliver(message(id, juliet.jid()), handling);
            handling.end();
            handlings.add(handling);
        }

        second.cluster().close();
        nodes.remove(second);

        await().atMost(WAIT).until(() -> handlings.stream().allMatch(Handling::isComplete));
        assertThat(first.routed()).extracting(Stanza::id).containsExactlyElementsOf(ids);
        assertThat(first.routed()).extracting(stanza -> stanza.to().toString()).containsOnly(juliet.jid().toString());
        assertThat(juliet.received).isEmpty();
    }

    /** {@code cluster.forward_timeout}: a node that is there but does not confirm is not waited for longer. */
    @Test
    void aStanzaItsNodeDoesNotConfirmInTimeIsHandledByTheSender() throws Exception {
        Node hasty = start(freePort(), members, Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> hasty.routes().node().members() == 3);
        RecordingSession juliet = new RecordingSession("juliet@" + DOMAIN + "/desk");
        LocalSession remote = boundOnSecondAsSeenFrom(hasty, juliet);
        second.cluster().settle(Duration.ZERO);

        Handling handling = Handling.begin();
        remote.deliver(message("slow", juliet.jid()), handling);
        handling.end();

        await().atMost(WAIT).until(handling::isComplete);
        assertThat(hasty.routed()).extracting(Stanza::id).containsExactly("slow");
        assertThat(second.cluster().routes().node().members()).as("the node is still there").isEqualTo(3);
    }

    /**
     * At-least-once, with few duplicates: a stanza its sender stopped waiting for is not delivered as
     * well. Its deadline is a minute past: the members' cluster clocks agree only to within their
     * offset estimates (a deadline 1 ms past was sometimes still ahead on the receiver).
     */
    @Test
    void aStanzaThatArrivesAfterItsSenderStoppedWaitingIsDropped() throws Exception {
        RecordingSession juliet = new RecordingSession("juliet@" + DOMAIN + "/desk");
        LocalSession remote = boundOnSecondAsSeenFrom(first, juliet);
        ClusterNode sender = first.routes().node();
        ClusterNode receiver = second.routes().node();

        sender.<ForwardedStanza>topic(StanzaForwarder.STANZAS + receiver.localId()).publish(new ForwardedStanza(
                sender.localId(), -1, sender.clusterTime() - 60_000, juliet.jid().toString(),
                message("late", juliet.jid()).asXML(), null));
        remote.deliver(message("on time", juliet.jid()));

        await().atMost(WAIT).until(() -> !juliet.received.isEmpty());
        assertThat(juliet.received).extracting(e -> e.attributeValue("id")).containsExactly("on time");
    }

    /**
     * XEP-0198 §4 for a stanza to a room (XEP-0045) whose home is another node: it is handled
     * once the home's routing of it finished (the room's turn took it: broadcast and archived, or
     * answered with an error) and the home confirmed it; not when it was handed on.
     */
    @Test
    void aStanzaHandedToARoomsHomeIsTakenOnceTheRoomsTurnThereIsOver() throws Exception {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        second.roomTurn().set(turn);

        CompletableFuture<Boolean> taken = first.routes().homes().routeOn(second.id(), groupchat("g1"))
                .toCompletableFuture();

        await().atMost(WAIT).until(() -> second.homed().size() == 1);
        assertThat(second.homed().get(0).id()).isEqualTo("g1");
        assertThat(second.homed().get(0).from().toString()).isEqualTo("nurse@" + DOMAIN + "/home");
        assertThat(taken).as("the room's turn on its home is not over").isNotDone();
        turn.complete(null);
        assertThat(taken.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(first.routed()).isEmpty();
    }

    /** RFC 6120 §10.1: the stanzas one node hands a room's home reach it in the order handed on. */
    @Test
    void stanzasHandedToARoomsHomeArriveThereInOrder() throws Exception {
        List<String> ids = IntStream.range(0, 200).mapToObj(i -> "g" + i).toList();
        for (String id : ids) {
            first.routes().homes().routeOn(second.id(), groupchat(id));
        }

        await().atMost(WAIT).until(() -> second.homed().size() == ids.size());
        assertThat(second.homed()).extracting(Stanza::id).containsExactlyElementsOf(ids);
    }

    /**
     * A room's home that leaves before it confirmed what it was handed: each of those stanzas is
     * its sender's to handle again (its stage completes with false), in the order handed on (RFC
     * 6120 §10.1), once the sender's node no longer counts the home as a member (a room handled
     * again is claimed again: the home must be taken for gone by then).
     */
    @Test
    void stanzasARoomsHomeLeavesUnconfirmedAreLeftToTheSenderInOrder() throws Exception {
        String home = second.id();
        // A stopping node takes no more stanzas: nothing it is handed now is confirmed.
        second.cluster().settle(Duration.ZERO);
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> "g" + i).toList();
        List<String> leftToSender = new CopyOnWriteArrayList<>();
        List<Boolean> homeWasMember = new CopyOnWriteArrayList<>();
        for (String id : ids) {
            first.routes().homes().routeOn(home, groupchat(id)).thenAccept(taken -> {
                if (!taken) {
                    homeWasMember.add(first.routes().node().isMember(home));
                    leftToSender.add(id);
                }
            });
        }
        assertThat(first.routes().node().isMember(home)).isTrue();

        second.cluster().close();
        nodes.remove(second);

        await().atMost(WAIT).until(() -> leftToSender.size() == ids.size());
        assertThat(leftToSender).containsExactlyElementsOf(ids);
        assertThat(homeWasMember).containsOnly(false);
        assertThat(second.homed()).isEmpty();
    }

    /** {@code cluster.forward_timeout} for a room's home that is there but does not confirm: not waited for longer. */
    @Test
    void aStanzaARoomsHomeDoesNotConfirmInTimeIsLeftToTheSender() throws Exception {
        Node hasty = start(freePort(), members, Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> hasty.routes().node().members() == 3);
        second.roomTurn().set(new CompletableFuture<>());

        CompletableFuture<Boolean> taken = hasty.routes().homes().routeOn(second.id(), groupchat("slow"))
                .toCompletableFuture();

        assertThat(taken.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
        assertThat(hasty.routes().node().isMember(second.id())).as("the home is still there").isTrue();
    }

    /** RFC 6120 §7.7.2.2 across nodes: the later binding wins, the other session is closed with conflict. */
    @Test
    void aFullJidBoundAgainOnAnotherNodeClosesTheEarlierSession() throws Exception {
        RecordingSession onFirst = new RecordingSession("romeo@" + DOMAIN + "/phone");
        first.routes().bind(onFirst);
        await().atMost(WAIT).until(() -> second.routes().find(onFirst.jid()).isPresent());

        RecordingSession onSecond = new RecordingSession("romeo@" + DOMAIN + "/phone");
        second.routes().bind(onSecond);

        await().atMost(WAIT).until(() -> onFirst.closedWith.size() == 1);
        assertThat(onFirst.closedWith.get(0).condition()).isEqualTo(StreamErrorCondition.CONFLICT);
        assertThat(onSecond.closedWith).isEmpty();
    }

    /**
     * RFC 6120 §7.7.2.2 with two bindings made before either node saw the other's route: both
     * nodes make the same decision, the earlier binding goes (by the cluster's time).
     */
    @Test
    void ofTwoBindingsMadeAtOnceOnTwoNodesTheEarlierGoes() throws Exception {
        RecordingSession earlier = new RecordingSession("romeo@" + DOMAIN + "/laptop");
        first.routes().bind(earlier);
        long boundAt = first.routes().node().clusterTime();
        await().atMost(WAIT).until(() -> second.routes().node().clusterTime() > boundAt + 1);
        RecordingSession later = new RecordingSession("romeo@" + DOMAIN + "/laptop");
        second.routes().bind(later);

        await().atMost(WAIT).until(() -> earlier.closedWith.size() == 1);
        assertThat(earlier.closedWith.get(0).condition()).isEqualTo(StreamErrorCondition.CONFLICT);
        first.routes().unbind(earlier); // as the closed stream's end does
        await().atMost(WAIT).until(() -> first.routes().find(later.jid()),
                session -> session.isPresent() && session.get().id().equals(later.id()));
        assertThat(later.closedWith).isEmpty();
    }

    /**
     * A client that reconnects through another node with the same full JID right after its
     * session ended on the first: the first node's late removal of its route never takes the
     * route the second node wrote, so every stanza routed to the full JID finds the new session
     * (a removal that read its node's copy of the map before the other node's write had arrived
     * once took that write everywhere, and a room's presence to the new session was lost).
     */
    @Test
    void aSessionEndedOnOneNodeNeverTakesTheRouteOfItsFullJidBoundAgainOnAnother() throws Exception {
        List<SessionRoute> removedOfSecond = new CopyOnWriteArrayList<>();
        first.routes().node().<RouteKey, SessionRoute>replicatedMap(ClusteredRouteTable.ROUTES)
                .addEntryListener(new com.hazelcast.core.EntryAdapter<>() {
                    @Override
                    public void entryRemoved(com.hazelcast.core.EntryEvent<RouteKey, SessionRoute> event) {
                        if (event.getOldValue().node().equals(second.id())) {
                            removedOfSecond.add(event.getOldValue());
                        }
                    }
                });
        for (int i = 0; i < 20; i++) {
            String jid = "escalus@" + DOMAIN + "/palace-" + i;
            RecordingSession onFirst = available(first, jid, 0, "<presence xmlns='jabber:client'/>");
            await().atMost(WAIT).until(() -> second.routes().find(onFirst.jid()).isPresent());

            first.routes().unbind(onFirst);
            RecordingSession onSecond = available(second, jid, 0, "<presence xmlns='jabber:client'/>");

            await().atMost(WAIT).until(() -> first.routes().find(onSecond.jid()),
                    session -> session.isPresent() && session.get().id().equals(onSecond.id()));
        }
        assertThat(removedOfSecond).isEmpty();
        for (int i = 0; i < 20; i++) {
            EntityFullJid jid = Jids.parse("escalus@" + DOMAIN + "/palace-" + i).asEntityFullJidIfPossible();
            assertThat(first.routes().find(jid)).as("route of %s", jid).isPresent();
        }
    }

    /**
     * A client that sends right after binding (it enters a room, XEP-0045 §7.2) reaches the room's
     * node before its route does: the route map brings routes on other threads than stanzas. The
     * room's node knows the session from the stanza when it routes it, so that what the room sends
     * back (the occupants' presence, §7.2.3) is not taken for a stanza to an unknown resource
     * (RFC 6121 §8.5.3.2.3: presence ignored). Here the route has not arrived because the first
     * node forgot it; its later arrival would replace what the stanza taught (same binding).
     */
    @Test
    void aStanzaHandedToARoomsHomeTeachesItTheSessionItComesFromBeforeItIsRouted() throws Exception {
        RecordingSession nurse = available(second, "nurse@" + DOMAIN + "/home", 0, "<presence xmlns='jabber:client'/>");
        await().atMost(WAIT).until(() -> first.routes().find(nurse.jid()).isPresent());
        first.routes().remote().remove(nurse.jid(), null);
        assertThat(first.routes().find(nurse.jid())).isEmpty();

        assertThat(second.routes().homes().routeOn(first.id(), groupchat("g1")).toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(first.sendersSeen()).hasSize(1);
        LocalSession seen = first.sendersSeen().get(0).orElseThrow(() -> new AssertionError("the sender was unknown"));
        assertThat(seen.id()).isEqualTo(nurse.id());
        assertThat(seen.isOnThisNode()).isFalse();

        Element answer = message("a1", nurse.jid());
        first.routes().find(nurse.jid()).orElseThrow().deliver(answer);
        await().atMost(WAIT).until(() -> nurse.received.size() == 1);
        assertThat(nurse.received.get(0).attributeValue("id")).isEqualTo("a1");
    }

    /**
     * RFC 6120 §8.2.3: an IQ request from a session on one node to one on another is answered at
     * once; the answer finds the requester even if its route has not reached the answering node:
     * the request taught it.
     */
    @Test
    void aStanzaForwardedToASessionTeachesItsNodeTheSessionItComesFrom() throws Exception {
        RecordingSession nurse = available(second, "nurse@" + DOMAIN + "/home", 0, "<presence xmlns='jabber:client'/>");
        RecordingSession juliet = available(first, "juliet@" + DOMAIN + "/desk", 0, "<presence xmlns='jabber:client'/>");
        await().atMost(WAIT).until(() -> first.routes().find(nurse.jid()).isPresent()
                && second.routes().find(juliet.jid()).isPresent());
        first.routes().remote().remove(nurse.jid(), null);

        Element request = message("q1", juliet.jid());
        second.routes().find(juliet.jid()).orElseThrow().deliver(request);

        await().atMost(WAIT).until(() -> juliet.received.size() == 1);
        assertThat(first.routes().find(nurse.jid())).map(LocalSession::id).contains(nurse.id());
    }

    /**
     * What a stanza teaches never outlives the session: a stanza read after its session's route
     * was removed (the stanza and the removal come on different threads) does not bring the
     * session back, and never replaces a route the route map brought.
     */
    @Test
    void aSessionWhoseRouteWasRemovedIsNotLearnedAgainFromAStanzaItSent() throws Exception {
        RecordingSession nurse = available(second, "nurse@" + DOMAIN + "/home", 0, "<presence xmlns='jabber:client'/>");
        RemoteSession known = (RemoteSession) await().atMost(WAIT)
                .until(() -> first.routes().find(nurse.jid()), Optional::isPresent).orElseThrow();
        ForwardedStanza.Origin origin = new ForwardedStanza.Origin(nurse.id(), known.route().boundAt());
        ClusterNode sender = second.routes().node();
        ForwardedStanza.Origin older = new ForwardedStanza.Origin("earlier binding", known.route().boundAt() - 1);
        sender.<ForwardedStanza>topic(StanzaForwarder.HOMED + first.id()).publish(new ForwardedStanza(sender.localId(),
                -1, sender.clusterTime() + 60_000, "verona@rooms." + DOMAIN, groupchat("g0").element().asXML(), older));
        await().atMost(WAIT).until(() -> first.homed().size() == 1);
        assertThat(first.routes().find(nurse.jid())).as("an earlier binding replaces nothing")
                .get().extracting(LocalSession::id, LocalSession::isAvailable).containsExactly(nurse.id(), true);

        second.routes().unbind(nurse);
        await().atMost(WAIT).until(() -> first.routes().find(nurse.jid()).isEmpty());
        sender.<ForwardedStanza>topic(StanzaForwarder.HOMED + first.id()).publish(new ForwardedStanza(sender.localId(),
                -2, sender.clusterTime() + 60_000, "verona@rooms." + DOMAIN, groupchat("g1").element().asXML(), origin));

        await().atMost(WAIT).until(() -> first.homed().size() == 2);
        assertThat(first.routes().find(nurse.jid())).isEmpty();
    }

    /**
     * A removal of a live route (the oldest node removes the keys of a node it took for dead,
     * which may come back: a pause, a partition) is repaired by the node the session is bound on:
     * it writes the route again, and the other nodes route to the session again (issue 16: no
     * message goes to offline storage while its recipient is online).
     */
    @Test
    void aRouteRemovedWhileItsSessionIsStillBoundIsWrittenAgain() throws Exception {
        RecordingSession juliet = available(first, "juliet@" + DOMAIN + "/load", 0, "<presence xmlns='jabber:client'/>");
        await().atMost(WAIT).until(() -> second.routes().find(juliet.jid()).isPresent());

        second.routes().node().<RouteKey, SessionRoute>replicatedMap(ClusteredRouteTable.ROUTES)
                .remove(new RouteKey(juliet.jid().toString(), first.id()));

        LocalSession seen = await().atMost(WAIT).until(() -> second.routes().find(juliet.jid()),
                session -> session.isPresent() && session.get().isAvailable()).orElseThrow();
        assertThat(seen.id()).isEqualTo(juliet.id());
    }

    /**
     * RFC 6120 §7.7.2.2 on one node: a session that replaces an earlier one under the same full
     * JID keeps its route on the other nodes once the earlier one is unbound (its removal would
     * otherwise be written after the later session's route, under the same key).
     */
    @Test
    void aSessionThatReplacesAnotherOnTheSameNodeKeepsItsRoute() throws Exception {
        RecordingSession earlier = available(first, "romeo@" + DOMAIN + "/phone", 0, "<presence xmlns='jabber:client'/>");
        await().atMost(WAIT).until(() -> second.routes().find(earlier.jid()).isPresent());

        RecordingSession later = available(first, "romeo@" + DOMAIN + "/phone", 1, "<presence xmlns='jabber:client'/>");
        first.routes().unbind(earlier);

        await().atMost(WAIT).until(() -> second.routes().find(later.jid()),
                session -> session.isPresent() && session.get().id().equals(later.id()));
        assertThat(first.routes().find(later.jid())).containsSame(later);
    }

    /**
     * A node that leaves: the other forgets its sessions and, being the oldest left, ends them
     * for its modules ({@code session/closed}, which makes the presence module broadcast
     * unavailable presence, RFC 6121 §4.5.2, also to the entities the session sent directed
     * presence to, §4.6.3).
     */
    @Test
    void whenANodeLeavesItsSessionsEndOnTheOther() throws Exception {
        RecordingSession mercutio = available(second, "mercutio@" + DOMAIN + "/desk", 0,
                "<presence xmlns='jabber:client'/>");
        Jid tybalt = Jids.parse("tybalt@" + DOMAIN + "/sword");
        second.routes().sharing().shareDirectedPresence(mercutio, Set.of(tybalt));
        await().atMost(WAIT).until(() -> first.routes().find(mercutio.jid())
                .filter(session -> session.isAvailable() && !session.sharedDirectedPresence().isEmpty()).isPresent());

        second.cluster().close();
        nodes.remove(second);

        await().atMost(WAIT).until(() -> first.closed().size() == 1);
        assertThat(first.closed().get(0).jid().toString()).isEqualTo(mercutio.jid().toString());
        assertThat(first.closed().get(0).sharedPresence()).as("it was available").isNotNull();
        assertThat(first.closed().get(0).sharedDirectedPresence()).as("RFC 6121 §4.6.3: they are told")
                .containsExactly(tybalt);
        assertThat(first.routes().find(mercutio.jid())).isEmpty();
    }

    /** A session bound on {@code node} that sent available presence ({@code presenceXml}, RFC 6121 §4.2). */
    private static RecordingSession available(Node node, String jid, int priority, String presenceXml)
            throws Exception {
        RecordingSession session = new RecordingSession(jid);
        node.routes().bind(session);
        session.updatePresence(true, priority);
        node.routes().sharing().share(session, presenceXml);
        return session;
    }

    /** Binds {@code session} on the second node and returns it as {@code node} sees it once it does. */
    private LocalSession boundOnSecondAsSeenFrom(Node node, RecordingSession session) {
        second.routes().bind(session);
        return await().atMost(WAIT).until(() -> node.routes().find(session.jid()), Optional::isPresent).orElseThrow();
    }

    private Node start(int port, List<String> members, Duration forwardTimeout) throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of(DOMAIN))
                .with(ClusterOptions.ENABLED, true)
                .with(ClusterOptions.SECRET, "test secret")
                .with(ClusterOptions.ADDRESS, "127.0.0.1")
                .with(ClusterOptions.PORT, port)
                .with(ClusterOptions.MEMBERS_OPTION, members)
                .with(ClusterOptions.FORWARD_TIMEOUT, forwardTimeout);
        HostRegistry hosts = new HostRegistry(Set.of(Jids.parseDomain(DOMAIN)));
        List<LocalSession> closed = new CopyOnWriteArrayList<>();
        hosts.accountHosts().get(0).events().hook(SessionEvents.CLOSED, 0, session -> {
            closed.add(session);
            return Verdict.PASS;
        });
        List<Stanza> routed = new CopyOnWriteArrayList<>();
        Undeliverable undeliverable = (stanza, handling) -> routed.add(stanza);
        List<Stanza> homed = new CopyOnWriteArrayList<>();
        AtomicReference<CompletableFuture<Void>> roomTurn = new AtomicReference<>(CompletableFuture.completedFuture(null));
        AtomicReference<Cluster> joined = new AtomicReference<>();
        List<Optional<LocalSession>> sendersSeen = new CopyOnWriteArrayList<>();
        StanzaRouter router = new StanzaRouter() {
            @Override
            public void route(Stanza stanza) {
                route(stanza, Handling.none());
            }

            @Override
            public void route(Stanza stanza, Handling handling) {
                EntityFullJid sender = stanza.from() == null ? null : stanza.from().asEntityFullJidIfPossible();
                sendersSeen.add(sender == null ? Optional.empty() : joined.get().routes().find(sender));
                homed.add(stanza);
                handling.track(roomTurn.get());
            }
        };
        Cluster cluster = Cluster.join(config, hosts);
        joined.set(cluster);
        cluster.start(router, undeliverable, new SimpleMeterRegistry());
        Node node = new Node(cluster, hosts, routed, closed, homed, roomTurn, sendersSeen);
        nodes.add(node);
        return node;
    }

    private static Element message(String id, EntityFullJid to) {
        Element message = DocumentHelper.createElement(org.dom4j.QName.get("message", "jabber:client"));
        message.addAttribute("to", to.toString());
        message.addAttribute("from", "nurse@" + DOMAIN + "/home");
        message.addAttribute("type", "chat");
        message.addAttribute("id", id);
        message.addElement("body").setText(id);
        return message;
    }

    /** XEP-0045 §7.4: a message to all occupants of a room. */
    private static Stanza groupchat(String id) throws Exception {
        Element message = DocumentHelper.createElement(org.dom4j.QName.get("message", "jabber:client"));
        message.addAttribute("to", "verona@rooms." + DOMAIN);
        message.addAttribute("from", "nurse@" + DOMAIN + "/home");
        message.addAttribute("type", "groupchat");
        message.addAttribute("id", id);
        message.addElement("body").setText(id);
        return new Stanza(message, Jids.parse("nurse@" + DOMAIN + "/home"), Jids.parse("verona@rooms." + DOMAIN));
    }

    private static int freePort() throws IOException {
        return LoopbackPorts.unused(InetAddress.getLoopbackAddress());
    }
}
