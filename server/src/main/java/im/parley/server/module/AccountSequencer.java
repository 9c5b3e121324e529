package im.parley.server.module;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jxmpp.jid.EntityBareJid;

/**
 * Runs asynchronous steps for one account one after the other, whoever starts them (a roster
 * set from one resource, a subscription from a contact, ...), so that changes and the pushes
 * they cause reach clients in the order they were made (RFC 6121 §2.1.6, §2.6). Steps of
 * different accounts run independently. Nothing is kept for accounts with no step in flight.
 *
 * <p>An account's queued steps run in a loop, not each from inside the completion of the one
 * before: thousands of stanzas queued behind one slow step (a client sending 3,000 messages
 * while its block list loads) each finish at once when their turn comes, and starting the next
 * from the previous one's completion callback went one stack frame chain deeper per step until
 * the stack overflowed inside a {@link CompletableFuture} callback, which swallowed the error
 * and left the account's turn stopped for good. A step that completes later continues the loop
 * from the thread that completes it.
 */
public final class AccountSequencer {

    private final Map<EntityBareJid, Turns> turns = new ConcurrentHashMap<>();

    /** Starts {@code step} once every earlier step of {@code account} has finished. */
    public <T> CompletionStage<T> serially(EntityBareJid account, Supplier<? extends CompletionStage<T>> step) {
        Queued<T> queued = new Queued<>(step, new CompletableFuture<>());
        while (true) {
            Turns current = turns.computeIfAbsent(account, ignored -> new Turns());
            boolean startLoop;
            synchronized (current) {
                if (current.retired) {
                    continue;  // emptied and unregistered meanwhile: a new one takes the step
                }
                current.waiting.add(queued);
                startLoop = !current.running;
                current.running = true;
            }
            if (startLoop) {
                runQueued(account, current);
            }
            return queued.result;
        }
    }

    /**
     * Runs the account's steps in order until one is still in progress when its start returns
     * (its completion comes back here) or none is left (the account is unregistered).
     */
    private void runQueued(EntityBareJid account, Turns current) {
        while (true) {
            Queued<?> next;
            synchronized (current) {
                next = current.waiting.poll();
                if (next == null) {
                    current.running = false;
                    current.retired = true;
                    turns.remove(account, current);
                }
            }
            if (next == null) {
                current.idle.complete(null);  // outside the monitor: whoever waits runs now
                return;
            }
            if (!next.run(() -> runQueued(account, current))) {
                return;
            }
        }
    }

    /** True if a step of {@code account} is running or waiting. */
    public boolean isBusy(EntityBareJid account) {
        return turns.containsKey(account);
    }

    /**
     * Waits until no account has a step in flight (steps started meanwhile included), or until
     * {@code deadlineNanos} ({@link System#nanoTime()}); true if none is left. A stopping server
     * calls it before its blocking executor stops, so that a step still queued in an account's
     * turn (a message on its way to offline storage) is not refused by a stopped executor.
     * Blocks.
     */
    public boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (!turns.isEmpty()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            CompletableFuture<?>[] waiting = turns.values().stream().map(t -> t.idle).toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(waiting).get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // Not reached: idle futures only complete normally.
            }
        }
        return true;
    }

    /** Accounts with steps in flight (for tests and metrics). */
    public int accountsInFlight() {
        return turns.size();
    }

    /** One account's steps not yet finished; guarded by its own monitor. */
    private static final class Turns {
        final Queue<Queued<?>> waiting = new ArrayDeque<>();
        final CompletableFuture<Void> idle = new CompletableFuture<>();
        /** A step of this account is running (or about to be started by the loop). */
        boolean running;
        /** Emptied and removed from the map: steps go to a new one. */
        boolean retired;
    }

    /** A step and where its outcome goes. */
    private record Queued<T>(Supplier<? extends CompletionStage<T>> step, CompletableFuture<T> result) {

        private static final int STARTING = 0;
        private static final int FINISHED_WHILE_STARTING = 1;
        private static final int IN_PROGRESS = 2;

        /**
         * Starts the step. True if it finished before its start returned (the caller's loop goes
         * on); false if it is still running, in which case {@code continueLoop} runs once it
         * finishes. Either way its result is handed out before the next step starts.
         */
        boolean run(Runnable continueLoop) {
            AtomicInteger phase = new AtomicInteger(STARTING);
            CompletionStage<T> running;
            try {
                running = step.get();
            } catch (RuntimeException | Error e) {
                // An Error too (a stack overflow deep in a step): the step fails, the turn goes on.
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
                if (!phase.compareAndSet(STARTING, FINISHED_WHILE_STARTING)) {
                    continueLoop.run();
                }
            });
            return !phase.compareAndSet(STARTING, IN_PROGRESS);
        }
    }
}
