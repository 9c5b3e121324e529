package im.parley.s2s;

import static im.parley.s2s.TestS2sRouters.LOCAL;
import static im.parley.s2s.TestS2sRouters.REMOTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaIntake;
import im.parley.core.routing.StanzaRouter;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.SelfSignedCertificates;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's bound on stanzas from peers in flight on an inbound server-to-server stream (RFC
 * 6120 §13.12): past it, the stream is read no further until one of them is handled; nothing the
 * peer sent is lost, and its stanzas are routed in the order sent (§10.1).
 */
class InboundIntakeTest {

    private final KeyMaterial remoteKey = SelfSignedCertificates.generate(REMOTE);
    /** The ids of the stanzas routed locally, in order. */
    private final List<String> routed = new CopyOnWriteArrayList<>();
    /** Each routed stanza's handling, completed when the test says so. */
    private final Queue<CompletableFuture<Void>> handlings = new ConcurrentLinkedQueue<>();
    private final BoundOfTwo intake = new BoundOfTwo();
    private InboundListener listener;

    @BeforeEach
    void start() throws Exception {
        listener = InboundListener.start(List.of(remoteKey.leaf()), new SlowLocalRouter());
        listener.router().limitIntake(intake);
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
    }

    @Test
    void pastTheBoundOnStanzasFromPeersInFlightTheStreamIsReadNoFurtherUntilOneIsHandled_rfc6120_13_12()
            throws Exception {
        try (ScriptedS2sPeer peer = listener.connect()) {
            peer.authenticateWithExternal(REMOTE, LOCAL, remoteKey);
            peer.send(message("m1") + message("m2") + message("m3"));
            await().atMost(Duration.ofSeconds(10)).until(() -> routed.size() == 3 && intake.waiting() == 1);

            // Three in flight against a bound of two: what the peer sends now stays in its connection.
            peer.send(message("m4"));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> routed.size() == 3);

            // One handled: within the bound again, the stream is read and m4 routed.
            handlings.poll().complete(null);
            await().atMost(Duration.ofSeconds(10)).until(() -> routed.size() == 4);
            handlings.forEach(handling -> handling.complete(null));
            peer.send(message("m5"));
            await().atMost(Duration.ofSeconds(10)).until(() -> routed.size() == 5);
        }
        assertThat(routed).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    private static String message(String id) {
        return "<message from='juliet@" + REMOTE + "' to='romeo@" + LOCAL + "' id='" + id + "'><body>hi</body></message>";
    }

    /** The local side: each stanza's handling stays open until the test completes it. */
    private final class SlowLocalRouter implements StanzaRouter {
        @Override
        public void route(Stanza stanza) {
            route(stanza, Handling.none());
        }

        @Override
        public void route(Stanza stanza, Handling handling) {
            routed.add(stanza.id());
            CompletableFuture<Void> done = new CompletableFuture<>();
            handlings.add(done);
            handling.track(done);
        }
    }

    /** Two stanzas in flight at most; a third waits until one is handled. */
    private static final class BoundOfTwo implements StanzaIntake {
        private final AtomicInteger inFlight = new AtomicInteger();
        private final Queue<CompletableFuture<Void>> held = new ConcurrentLinkedQueue<>();

        @Override
        public CompletableFuture<Void> admit(CompletionStage<?> handled) {
            int now = inFlight.incrementAndGet();
            handled.whenComplete((ignored, failure) -> {
                inFlight.decrementAndGet();
                CompletableFuture<Void> next = held.poll();
                if (next != null) {
                    next.complete(null);
                }
            });
            if (now <= 2) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> wait = new CompletableFuture<>();
            held.add(wait);
            return wait;
        }

        int waiting() {
            return held.size();
        }
    }
}
