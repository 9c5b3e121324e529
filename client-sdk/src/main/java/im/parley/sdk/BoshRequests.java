package im.parley.sdk;

import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The requests of a {@link BoshSession} not yet answered in order, by {@code rid} (XEP-0124
 * §14.1-§14.2), and the one being handed to HTTP. Requests are written one at a time, lowest
 * {@code rid} first, so that one whose connection broke goes out again before any newer one
 * (§14.3): connection managers count on that order. Guarded by the session's monitor.
 */
final class BoshRequests {

    private final TreeMap<Long, BoshRequest> unanswered = new TreeMap<>();
    /** The request being handed to HTTP; the next one waits until it is written. */
    private BoshRequest writing;
    private long nextRid;

    /**
     * @param firstRid the session creation request's rid: random and far below 2^53 (§14.1)
     */
    BoshRequests(long firstRid) {
        this.nextRid = firstRid;
    }

    /** A new request with the next rid, its body made for that rid. */
    void add(LongFunction<String> body, boolean terminates) {
        long rid = nextRid++;
        unanswered.put(rid, new BoshRequest(rid, body.apply(rid), terminates));
    }

    int size() {
        return unanswered.size();
    }

    /** The unsent request with the lowest rid, unless one is being written or it pauses before going out again. */
    BoshRequest nextToWrite() {
        if (writing != null) {
            return null;
        }
        for (BoshRequest request : unanswered.values()) {
            if (request.unsent) {
                if (request.pausing) {
                    return null;
                }
                request.unsent = false;
                writing = request;
                return request;
            }
        }
        return null;
    }

    /** Whether this sending of {@code request} was the one being written; from now on none is. */
    boolean writtenOut(BoshRequest request, int attempt) {
        if (writing != request || request.attempt != attempt) {
            return false;
        }
        writing = null;
        return true;
    }

    /** Whether {@code request} still waits for its answer: it was neither answered in order nor dropped. */
    boolean awaits(BoshRequest request) {
        return unanswered.get(request.rid) == request;
    }

    /** §17.3: a recoverable error: this request and every earlier unanswered one are sent again. */
    void resendUpTo(BoshRequest request) {
        for (BoshRequest earlier : unanswered.headMap(request.rid, true).values()) {
            if (earlier.answer == null) {
                // A new attempt makes what the cancelled exchange reports stale.
                earlier.attempt++;
                if (earlier.exchange != null) {
                    earlier.exchange.cancel(true);
                    earlier.exchange = null;
                }
                if (writing == earlier) {
                    writing = null;
                }
                earlier.unsent = true;
            }
        }
    }

    /** The request with the lowest rid once it is answered, taken out; null while it is not (§14.2). */
    BoshRequest pollAnswered() {
        if (unanswered.isEmpty() || unanswered.firstEntry().getValue().answer == null) {
            return null;
        }
        return unanswered.pollFirstEntry().getValue();
    }

    /** Forgets every request, cancelling the exchanges under way. */
    void clear() {
        writing = null;
        for (BoshRequest request : unanswered.values()) {
            if (request.exchange != null) {
                request.exchange.cancel(true);
            }
        }
        unanswered.clear();
    }
}
