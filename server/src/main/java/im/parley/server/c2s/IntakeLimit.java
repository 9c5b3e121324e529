package im.parley.server.c2s;

import im.parley.core.routing.StanzaIntake;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's bound on stanzas from clients (or, a second one, from other servers) still being
 * handled (RFC 6120 §13.12: a server
 * protects itself from a flood). Most stanzas are handled before the read that brought them
 * returns; some wait for work behind the event loops (the archive's writer, storage, an account's
 * turn behind its earlier stanzas), and those pile up in memory when clients send more than that
 * work keeps up with: 2,000 clients at 14,000 messages a second on two cores once held 600 MB of
 * a 1 GB heap after ten seconds (docs/benchmarks.md, "A stall under load, and back-pressure").
 *
 * <p>So past {@code max} stanzas in flight, each client whose stanza adds to them stops being
 * read ({@link C2sSession#holdReading}): what it sends waits in its connection's buffers and in
 * TCP's flow control, nothing is dropped or refused. Held clients are let go one at a time, in
 * the order they were held, each time a stanza is handled while the count is within the bound:
 * a client let go reads what it sent meanwhile, so releasing them all at once brought back as
 * much as they had held (the count went past 100,000 with a bound of 10,000). A hold ends after
 * {@link StanzaIntake#MAX_HOLD} in any case. One per server for its client streams, one for its server
 * streams (so that a flood from a peer server does not hold local clients, nor the reverse).
 */
public final class IntakeLimit implements StanzaIntake {

    /** The default bound: a few seconds of a busy server's handling, a few MB of stanzas. */
    public static final int DEFAULT_MAX = 10_000;

    /** The streams a limit bounds, as its meters name and describe them. */
    public enum Streams {
        /** From clients: {@code parley_c2s_*}. */
        CLIENTS("c2s", "clients", "a client"),
        /** From other servers: {@code parley_s2s_*}. */
        SERVERS("s2s", "other servers", "a server-to-server stream");

        private final String prefix;
        private final String senders;
        private final String oneStream;

        Streams(String prefix, String senders, String oneStream) {
            this.prefix = prefix;
            this.senders = senders;
            this.oneStream = oneStream;
        }
    }
    private static final CompletableFuture<Void> ROOM = CompletableFuture.completedFuture(null);

    private final int max;
    private final Streams streams;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Times a session was told to wait, since the start. */
    private final AtomicLong holds = new AtomicLong();
    /** The held sessions' waits, oldest first; one completed already (its hold's time ran out) is skipped. */
    private final Queue<CompletableFuture<Void>> held = new ConcurrentLinkedQueue<>();

    /** The bound on stanzas from clients. */
    public IntakeLimit(int max) {
        this(max, Streams.CLIENTS);
    }

    /** @param streams the streams it bounds, as its meters are named */
    public IntakeLimit(int max, Streams streams) {
        if (max < 1) {
            throw new IllegalArgumentException("the intake limit must be at least 1, got " + max);
        }
        this.max = max;
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    /**
     * Counts a stanza whose handling is not done until {@code handled} completes, and returns
     * what its session waits for before reading more: complete if the count is within the bound,
     * otherwise a stage of its own that completes when its turn to be let go comes.
     */
    @Override
    public CompletableFuture<Void> admit(CompletionStage<?> handled) {
        int now = inFlight.incrementAndGet();
        handled.whenComplete((ignored, failure) -> {
            inFlight.decrementAndGet();
            letOneGo();
        });
        if (now <= max) {
            return ROOM;
        }
        CompletableFuture<Void> wait = new CompletableFuture<>();
        held.add(wait);
        holds.incrementAndGet();
        letOneGo();  // the count may have got within the bound before the wait was queued
        return wait;
    }

    /** Stanzas from clients being handled now (for tests and metrics). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Sessions held now, their holds' time not yet run out (for tests). */
    int heldSessions() {
        return (int) held.stream().filter(wait -> !wait.isDone()).count();
    }

    /**
     * The meters (docs/operations.md): {@code parley_c2s_stanzas_in_flight} and
     * {@code parley_c2s_read_holds_total}, or the same with {@code s2s}.
     */
    public void meter(MeterRegistry registry) {
        Gauge.builder("parley." + streams.prefix + ".stanzas.in.flight", this, IntakeLimit::inFlight)
                .description("Stanzas from " + streams.senders + " routed and not yet handled")
                .register(registry);
        FunctionCounter.builder("parley." + streams.prefix + ".read.holds", holds, AtomicLong::get)
                .description("Times " + streams.oneStream
                        + " was read no further because too many stanzas were in flight")
                .register(registry);
    }

    private void letOneGo() {
        while (inFlight.get() <= max) {
            CompletableFuture<Void> next = held.poll();
            if (next == null || next.complete(null)) {
                return;
            }
        }
    }
}
