package im.parley.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The request-id window of a BOSH session (XEP-0124 §14): requests are processed strictly in
 * {@code rid} order, and at most {@code requests} ahead of the last processed one (§14.2). A
 * request that arrives before those preceding it waits here until they have come.
 */
final class BoshRidWindow {

    /** Where a request's rid falls relative to the window. */
    enum Position {
        /** At or below the last processed rid: a retransmission (§14.3). */
        REPEATED,
        /** More than {@code requests} ahead of the last processed rid: an error (§14.2). */
        BEYOND,
        /** Already waiting for its turn: the client's earlier connection for it was lost. */
        WAITING,
        /** Inside the window and not seen before. */
        NEW
    }

    private final int requests;
    private final TreeMap<Long, BoshRequest> early = new TreeMap<>();
    private long lastRid;

    /**
     * @param firstRid the rid of the session creation request, which counts as processed
     * @param requests the granted number of simultaneous requests, the window's width (§11)
     */
    BoshRidWindow(long firstRid, int requests) {
        this.lastRid = firstRid;
        this.requests = requests;
    }

    Position position(long rid) {
        if (rid <= lastRid) {
            return Position.REPEATED;
        }
        if (rid > lastRid + requests) {
            return Position.BEYOND;
        }
        return early.containsKey(rid) ? Position.WAITING : Position.NEW;
    }

    /** Keeps a request for its turn, in place of any earlier connection for the same rid. */
    void await(BoshRequest request) {
        early.put(request.rid(), request);
    }

    /** The request following the last processed one if it has come; it then counts as processed. */
    BoshRequest pollNext() {
        BoshRequest next = early.remove(lastRid + 1);
        if (next != null) {
            lastRid = next.rid();
        }
        return next;
    }

    /**
     * Whether a repeated rid is among the last {@code requests} processed, so its response may
     * not have been sent yet (§14.3); an older one is answered {@code item-not-found}.
     */
    boolean isRecent(long rid) {
        return rid > lastRid - requests;
    }

    /** Whether {@code rid} is the last one processed: no newer request has been processed yet. */
    boolean isNewest(long rid) {
        return rid == lastRid;
    }

    int waiting() {
        return early.size();
    }

    boolean hasWaiting() {
        return !early.isEmpty();
    }

    /** The requests still waiting for their turn, in rid order; the window keeps none. */
    List<BoshRequest> drainWaiting() {
        List<BoshRequest> drained = new ArrayList<>(early.values());
        early.clear();
        return drained;
    }
}
