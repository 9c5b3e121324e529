package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Group commit of the archive ({@link ArchiveWriter}): appends that wait are written together,
 * in the order they came, each completed only after its own batch committed (XEP-0198 §4: a
 * message counts as handled once archived; RFC 6120 §10.1: one sender's messages in order).
 */
class ArchiveWriterTest {

    private static final EntityBareJid ROMEO = jid("romeo@parley.test");
    private static final EntityBareJid JULIET = jid("juliet@parley.test");

    /** Runs queued tasks only when the test says so. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    /** What the store was asked to write, batch by batch (message ids). */
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());

    private List<Boolean> record(List<ArchiveRecord> batch) {
        batches.add(batch.stream().map(append -> append.message().id()).toList());
        return batch.stream().map(append -> true).toList();
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
    }

    @Test
    void appendsThatWaitTogetherAreWrittenInOneTransactionAndCompleteOnlyAfterIt() {
        List<CompletableFuture<Boolean>> done = new ArrayList<>();
        List<Boolean> doneDuringTheWrite = new ArrayList<>();
        ArchiveWriter writer = new ArchiveWriter(batch -> {
            done.forEach(future -> doneDuringTheWrite.add(future.isDone()));
            return record(batch);
        }, tasks::add, 500);
        done.add(writer.append(ROMEO, message("1"), JULIET));
        done.add(writer.append(JULIET, message("2"), ROMEO));
        done.add(writer.append(ROMEO, message("3"), JULIET));
        assertThat(done).noneMatch(CompletableFuture::isDone);

        tasks.poll().run();   // the drain: one transaction for all three, then their completions

        assertThat(batches).containsExactly(List.of("1", "2", "3"));
        assertThat(doneDuringTheWrite).containsExactly(false, false, false);
        assertThat(done).allMatch(future -> future.getNow(false));
        assertThat(tasks).isEmpty();
    }

    @Test
    void anAppendMadeWhileABatchCompletesJoinsTheNextBatchOfTheSameDrain() {
        ArchiveWriter writer = new ArchiveWriter(this::record, tasks::add, 500);
        CompletableFuture<Boolean> second = new CompletableFuture<>();
        writer.append(ROMEO, message("1"), JULIET)
                .thenRun(() -> writer.append(ROMEO, message("2"), JULIET).thenAccept(second::complete));

        tasks.poll().run();

        assertThat(batches).containsExactly(List.of("1"), List.of("2"));
        assertThat(second).isCompletedWithValue(true);
        assertThat(tasks).isEmpty();
    }

    @Test
    void aBatchHoldsAtMostTheBatchSizeAndBatchesKeepTheOrderOfTheAppends() {
        ArchiveWriter writer = new ArchiveWriter(this::record, tasks::add, 2);
        for (int i = 1; i <= 5; i++) {
            writer.append(i % 2 == 0 ? JULIET : ROMEO, message(String.valueOf(i)), ROMEO);
        }

        runTasks();

        assertThat(batches).containsExactly(List.of("1", "2"), List.of("3", "4"), List.of("5"));
    }

    @Test
    void aFailedBatchFailsItsOwnAppendsAndNoOthers() {
        ArchiveWriter writer = new ArchiveWriter(batch -> {
            if (batch.stream().anyMatch(append -> append.message().id().equals("bad"))) {
                throw new IllegalStateException("disk full");
            }
            return record(batch);
        }, tasks::add, 2);
        CompletableFuture<Boolean> first = writer.append(ROMEO, message("1"), JULIET);
        CompletableFuture<Boolean> bad = writer.append(ROMEO, message("bad"), JULIET);
        CompletableFuture<Boolean> after = writer.append(JULIET, message("3"), ROMEO);

        runTasks();

        assertThat(first).isCompletedExceptionally();
        assertThat(bad).isCompletedExceptionally();
        assertThat(after).isCompletedWithValue(true);
        assertThat(batches).containsExactly(List.of("3"));
        // The writer goes on after a failure.
        CompletableFuture<Boolean> later = writer.append(ROMEO, message("4"), JULIET);
        runTasks();
        assertThat(later).isCompletedWithValue(true);
    }

    /**
     * A lingering writer waits after a write before it looks at the queue again: what is
     * appended meanwhile starts no drain of its own and goes out in its next write, together.
     */
    @Test
    void aLingeringDrainTakesTheAppendsMadeWhileItWaitsInOneWrite() throws Exception {
        CountDownLatch firstWritten = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicInteger drains = new AtomicInteger();
        try {
            ArchiveWriter writer = new ArchiveWriter(batch -> {
                List<Boolean> answer = record(batch);
                firstWritten.countDown();
                return answer;
            }, task -> {
                drains.incrementAndGet();
                pool.execute(task);
            }, 500, Duration.ofSeconds(2));
            writer.append(ROMEO, message("1"), JULIET);
            awaitLatch(firstWritten);

            List<CompletableFuture<Boolean>> during = List.of(writer.append(ROMEO, message("2"), JULIET),
                    writer.append(JULIET, message("3"), ROMEO), writer.append(ROMEO, message("4"), JULIET));

            CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(batches).containsExactly(List.of("1"), List.of("2", "3", "4"));
            assertThat(drains).as("the appends during the wait started no drain").hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A drain that always finds more hands its thread on after {@link ArchiveWriter#WRITES_PER_RUN}
     * writes: it goes on as a new task behind the executor's others, still the one drain.
     */
    @Test
    void aDrainThatAlwaysFindsMoreGoesOnAsANewTaskAfterItsShareOfWrites() {
        List<ArchiveWriter> writers = new ArrayList<>();
        AtomicInteger next = new AtomicInteger(1);
        ArchiveWriter writer = new ArchiveWriter(batch -> {
            if (next.get() <= ArchiveWriter.WRITES_PER_RUN + 1) {
                writers.get(0).append(ROMEO, message(String.valueOf(next.incrementAndGet())), JULIET);
            }
            return record(batch);
        }, tasks::add, 500);
        writers.add(writer);
        writer.append(ROMEO, message("1"), JULIET);

        tasks.poll().run();

        assertThat(batches).hasSize(ArchiveWriter.WRITES_PER_RUN);
        assertThat(tasks).as("the drain again, behind other tasks").hasSize(1);
        writer.append(JULIET, message("later"), ROMEO);
        assertThat(tasks).as("an append meanwhile starts no second drain").hasSize(1);
        runTasks();
        assertThat(batches.stream().flatMap(List::stream).toList()).endsWith(
                String.valueOf(ArchiveWriter.WRITES_PER_RUN + 2));
        assertThat(batches.stream().flatMap(List::stream)).contains("later");
        assertThat(tasks).isEmpty();
    }

    @Test
    void flushedCompletesOnlyAfterTheAppendsQueuedBeforeItAndWritesNothingItself() {
        ArchiveWriter writer = new ArchiveWriter(this::record, tasks::add, 500);
        assertThat(writer.flushed()).as("nothing queued").isDone();
        CompletableFuture<Boolean> before = writer.append(ROMEO, message("1"), JULIET);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        before.thenRun(() -> order.add("append"));
        CompletableFuture<Void> flushed = writer.flushed();
        flushed.thenRun(() -> order.add("flushed"));
        CompletableFuture<Boolean> after = writer.append(ROMEO, message("2"), JULIET);
        assertThat(flushed).isNotDone();

        runTasks();

        assertThat(flushed).isDone();
        assertThat(order).containsExactly("append", "flushed");
        assertThat(after).isCompletedWithValue(true);
        assertThat(batches).containsExactly(List.of("1", "2"));
    }

    @Test
    void flushedCompletesNormallyWhenTheBatchBeforeItFailed() {
        ArchiveWriter writer = new ArchiveWriter(batch -> {
            throw new IllegalStateException("disk full");
        }, tasks::add, 500);
        CompletableFuture<Boolean> append = writer.append(ROMEO, message("1"), JULIET);
        CompletableFuture<Void> flushed = writer.flushed();

        runTasks();

        assertThat(append).isCompletedExceptionally();
        assertThat(flushed).isCompleted();
    }

    @Test
    void flushedWaitsForABatchBeingWrittenEvenWhenTheQueueIsEmpty() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ArchiveWriter writer = new ArchiveWriter(batch -> {
                writing.countDown();
                awaitLatch(release);
                return record(batch);
            }, pool, 500);
            writer.append(ROMEO, message("1"), JULIET);
            awaitLatch(writing);

            CompletableFuture<Void> flushed = writer.flushed();
            assertThat(flushed).as("the batch polled from the queue is still being written").isNotDone();
            release.countDown();

            flushed.get(10, TimeUnit.SECONDS);
            assertThat(batches).containsExactly(List.of("1"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAppendForAnAccountThatDoesNotExistCompletesWithFalse() {
        ArchiveWriter writer = new ArchiveWriter(batch -> List.of(true, false), tasks::add, 10);
        CompletableFuture<Boolean> known = writer.append(ROMEO, message("1"), JULIET);
        CompletableFuture<Boolean> unknown = writer.append(jid("nobody@parley.test"), message("2"), JULIET);

        runTasks();

        assertThat(known).isCompletedWithValue(true);
        assertThat(unknown).isCompletedWithValue(false);
    }

    @Test
    void aStoreThatAnswersForFewerAppendsThanItGotFailsTheBatch() {
        ArchiveWriter writer = new ArchiveWriter(batch -> List.of(true), tasks::add, 10);
        CompletableFuture<Boolean> one = writer.append(ROMEO, message("1"), JULIET);
        CompletableFuture<Boolean> two = writer.append(ROMEO, message("2"), JULIET);

        runTasks();

        assertThat(one).isCompletedExceptionally();
        assertThat(two).isCompletedExceptionally();
    }

    @Test
    void onAThreadPoolAppendsArrivingDuringACommitShareTheNextOneAndEachSendersOrderHolds() throws Exception {
        CountDownLatch firstBatchWriting = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ArchiveWriter writer = new ArchiveWriter(batch -> {
                if (calls.getAndIncrement() == 0) {
                    firstBatchWriting.countDown();
                    awaitLatch(othersQueued);
                }
                return record(batch);
            }, pool, 500);
            List<CompletableFuture<Boolean>> done = new ArrayList<>();
            done.add(writer.append(ROMEO, message("r0"), JULIET));
            awaitLatch(firstBatchWriting);
            // Two senders append concurrently while the first commit is under way.
            Thread juliet = new Thread(() -> {
                for (int i = 1; i <= 50; i++) {
                    synchronized (done) {
                        done.add(writer.append(JULIET, message("j" + i), ROMEO));
                    }
                }
            });
            juliet.start();
            for (int i = 1; i <= 50; i++) {
                synchronized (done) {
                    done.add(writer.append(ROMEO, message("r" + i), JULIET));
                }
            }
            juliet.join();
            othersQueued.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> done.stream().allMatch(CompletableFuture::isDone));
            assertThat(done).allMatch(future -> future.getNow(false));
            assertThat(batches).hasSize(2);
            assertThat(batches.get(0)).containsExactly("r0");
            List<String> second = batches.get(1);
            assertThat(second).hasSize(100);
            assertThat(second.stream().filter(id -> id.startsWith("r")).toList())
                    .isEqualTo(numbered("r", 50));
            assertThat(second.stream().filter(id -> id.startsWith("j")).toList())
                    .isEqualTo(numbered("j", 50));
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ArchivedMessage message(String id) {
        return new ArchivedMessage(id, Instant.parse("2026-01-01T12:00:00Z"), "<message/>");
    }

    private static EntityBareJid jid(String jid) {
        try {
            return JidCreate.entityBareFrom(jid);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
