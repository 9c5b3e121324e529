package im.parley.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Many stanzas sent at once go out on several lanes, and each recipient's in the order they were
 * handed in (RFC 6120 §10.1), even when consecutive sends come from different threads one after
 * another (a room's turn moves between threads).
 */
class RecipientLanesTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void eachRecipientsWorkRunsInOrderAndTheRecipientsSpreadOverTheLanes() throws Exception {
        RecipientLanes lanes = RecipientLanes.of(loops);
        List<Jid> recipients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            recipients.add(JidCreate.from("user" + i + "@example.org/r"));
        }
        Map<Jid, List<Integer>> seen = new ConcurrentHashMap<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger done = new AtomicInteger();
        int rounds = 200;
        for (int round = 0; round < rounds; round++) {
            int n = round;
            // Each round is handed in by a new thread, after the previous round's thread ended.
            Thread sender = new Thread(() -> {
                for (Jid to : recipients) {
                    lanes.execute(to, () -> {
                        seen.computeIfAbsent(to, k -> new ArrayList<>()).add(n);
                        threads.add(Thread.currentThread().getName());
                        done.incrementAndGet();
                    });
                }
            });
            sender.start();
            sender.join();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == rounds * recipients.size());
        for (Jid to : recipients) {
            assertThat(seen.get(to)).as(to.toString()).isSorted().hasSize(rounds);
        }
        assertThat(lanes.size()).isEqualTo(2);
        assertThat(threads).as("both lanes worked").hasSize(2);
    }

    @Test
    void inlineRunsAtOnceAndStoppedLanesRunTheWorkOnTheCaller() throws Exception {
        List<String> ran = new ArrayList<>();
        RecipientLanes.inline().execute(JidCreate.from("a@example.org"), () -> ran.add("inline"));
        assertThat(ran).containsExactly("inline");

        RecipientLanes lanes = RecipientLanes.of(loops);
        loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        lanes.execute(JidCreate.from("a@example.org"), () -> ran.add("after stop"));
        assertThat(ran).containsExactly("inline", "after stop");
    }
}
