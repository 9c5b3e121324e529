package im.parley.server.routing;

import im.parley.core.routing.Handling;
import im.parley.server.event.AccountWork;
import im.parley.server.module.AccountSequencer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stanza's turn among the stanzas of a local account ({@link AccountSequencer}). A stanza
 * routed while the account has earlier work in flight gets its turn behind it and is routed
 * within it ({@link #running}); one routed while the account is idle is routed at once and takes
 * a turn only if a handler defers work ({@link #inline}), so the common case costs nothing. The
 * turn ends when the routing has returned ({@link #finish}) and every piece of deferred work has
 * completed; deferred work is also tracked in the stanza's {@link Handling}.
 */
final class AccountStep implements AccountWork {

    /** A piece of work and where its result goes. */
    private record Piece<T>(EntityBareJid account, TurnTimeouts timeouts, Supplier<? extends CompletionStage<T>> work,
                            CompletableFuture<T> result) {

        void start() {
            CompletionStage<T> running;
            try {
                running = work.get();
            } catch (RuntimeException | Error e) {
                fail(e);
                return;
            }
            running.whenComplete((value, failure) -> {
                if (failure != null) {
                    fail(failure);
                } else {
                    result.complete(value);
                }
            });
            if (!result.isDone()) {
                timeouts.limit(account, result);
            }
        }

        /**
         * The work failed without handling its failure (handlers that do answer or log it
         * complete normally): said here, or the stanza it was for would go without a trace.
         */
        private void fail(Throwable failure) {
            if (result.completeExceptionally(failure)) {
                LOG.warn("work deferred in a turn of {} failed", account, failure);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AccountStep.class);

    private final AccountSequencer sequencer;
    private final EntityBareJid account;
    private final Handling handling;
    private final TurnTimeouts timeouts;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Work deferred before the turn began (an inline step whose account got busy meanwhile). */
    private final List<Piece<?>> waiting = new ArrayList<>();
    /** Open pieces: the routing itself, and each deferred piece not finished. */
    private int open = 1;
    private boolean started;
    private boolean turnRequested;

    private AccountStep(AccountSequencer sequencer, EntityBareJid account, Handling handling, TurnTimeouts timeouts,
                        boolean started) {
        this.sequencer = sequencer;
        this.account = account;
        this.handling = handling;
        this.timeouts = timeouts;
        this.started = started;
    }

    /** A stanza routed inside its turn: deferred work starts at once. */
    static AccountStep running(AccountSequencer sequencer, EntityBareJid account, Handling handling,
                               TurnTimeouts timeouts) {
        return new AccountStep(sequencer, account, handling, timeouts, true);
    }

    /** A stanza routed at once for an idle account: the first deferred work takes a turn. */
    static AccountStep inline(AccountSequencer sequencer, EntityBareJid account, Handling handling,
                              TurnTimeouts timeouts) {
        return new AccountStep(sequencer, account, handling, timeouts, false);
    }

    EntityBareJid account() {
        return account;
    }

    @Override
    public <T> CompletionStage<T> defer(Supplier<? extends CompletionStage<T>> work) {
        Piece<T> piece = new Piece<>(account, timeouts, work, new CompletableFuture<>());
        handling.track(piece.result());
        piece.result().whenComplete((value, failure) -> release());
        boolean startNow;
        boolean requestTurn = false;
        synchronized (this) {
            open++;
            startNow = started;
            if (!started) {
                waiting.add(piece);
                requestTurn = !turnRequested;
                turnRequested = true;
            }
        }
        if (startNow) {
            piece.start();
        } else if (requestTurn) {
            // Taken before the caller returns: the account's next stanza queues behind this one.
            handling.track(sequencer.serially(account, () -> {
                begin();
                return done;
            }));
        }
        return piece.result();
    }

    /** The synchronous routing is over; completes when the deferred work is done too. */
    CompletionStage<Void> finish() {
        release();
        return done;
    }

    private void begin() {
        List<Piece<?>> ready;
        synchronized (this) {
            started = true;
            ready = new ArrayList<>(waiting);
            waiting.clear();
        }
        ready.forEach(Piece::start);
    }

    private void release() {
        boolean last;
        synchronized (this) {
            last = --open == 0;
        }
        if (last) {
            done.complete(null);
        }
    }
}
