package im.parley.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;

/** The limit on how long deferred work may hold an account's turn (RFC 6120 §10.1 must not stop for good). */
class TurnTimeoutsTest {

    private final TurnTimeouts timeouts = new TurnTimeouts(Duration.ofMillis(50));
    private final EntityBareJid juliet;

    TurnTimeoutsTest() throws Exception {
        juliet = Jids.parseEntityBare("juliet@example.org");
    }

    @AfterEach
    void stop() {
        timeouts.close();
    }

    @Test
    void aPieceThatOutlivesTheLimitFailsWithATimeout() {
        CompletableFuture<Void> piece = new CompletableFuture<>();

        timeouts.limit(juliet, piece);

        await().atMost(Duration.ofSeconds(5)).until(piece::isDone);
        assertThat(piece).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void aPieceDoneInTimeKeepsItsResult() {
        CompletableFuture<String> piece = new CompletableFuture<>();
        timeouts.limit(juliet, piece);

        piece.complete("stored");

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> "stored".equals(piece.getNow(null)));
    }

    @Test
    void onceStoppedPiecesRunWithoutALimit() {
        timeouts.close();
        CompletableFuture<Void> piece = new CompletableFuture<>();

        timeouts.limit(juliet, piece);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !piece.isDone());
    }
}
