package im.parley.core.negotiation;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * A stream's input held while a feature step runs (a SASL exchange on the blocking pool, a
 * dialback verification): the step's answer must come before what the peer sent after it (RFC
 * 6120 §6.4.2), so input that arrives meanwhile waits and is handed out, in order, when the step
 * is done. Used on the stream's executor only.
 *
 * <p>Held input is handed out by one loop: an object whose own step finishes at once (a SASL
 * {@code <abort/>}, §6.4.3) ends its step inside that loop, and the loop goes on. Handed out from
 * each step's end instead, every object went one stack frame chain deeper: 20,000 aborts behind
 * an {@code <auth/>} (a BOSH body holds that many) overflowed the stack inside a
 * {@code CompletableFuture} callback that swallowed the error, and the stream never read again.
 *
 * @param <T> what the transport delivers (decoded objects, or reference-counted messages)
 */
public final class HeldInput<T> {

    private final Queue<T> held = new ArrayDeque<>();
    private boolean busy;
    private boolean handingOut;

    /** True if a step is running: {@code input} is held (and owned here) until it is done. */
    public boolean holdIfBusy(T input) {
        if (busy) {
            held.add(input);
        }
        return busy;
    }

    /** A feature step starts: input waits until {@link #stepDone}. */
    public void stepStarted() {
        busy = true;
    }

    /**
     * The step is done: hands out what was held, in order, to {@code handle}, until a handed-out
     * object starts a step of its own. Called from within that loop (a step that finished at
     * once), it only lets the loop go on.
     */
    public void stepDone(Consumer<? super T> handle) {
        busy = false;
        if (handingOut) {
            return;
        }
        handingOut = true;
        try {
            while (!busy && !held.isEmpty()) {
                handle.accept(held.poll());
            }
        } finally {
            handingOut = false;
        }
    }

    /** The stream is gone: drops what is held, each given to {@code dropped} (to release it). */
    public void clear(Consumer<? super T> dropped) {
        for (T input; (input = held.poll()) != null; ) {
            dropped.accept(input);
        }
    }
}
