package im.parley.sdk;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the connection manager granted a {@link BoshSession} in its session creation response
 * (XEP-0124 §7.2): the session's id and limits, and the pace of requests that follows from them
 * (§10-§12). Until that response, the client's own {@link BoshSession.Timings} stand in. Guarded
 * by the session's monitor.
 */
final class BoshParameters {

    private final BoshSession.Timings timings;
    /** Fills the session again once a polling session's next empty request is due (§12). */
    private final Runnable poll;
    private String sid;
    private long waitMillis;
    private int requests = 1;
    private int hold = 1;
    private long inactivityMillis;
    private long pollingMillis;
    private long lastEmptyRequestNanos;
    private boolean pollArmed;

    BoshParameters(BoshSession.Timings timings, Runnable poll) {
        this.timings = timings;
        this.poll = poll;
        this.waitMillis = timings.longestWait().toMillis();
        this.inactivityMillis = timings.inactivity().toMillis();
    }

    /** The session's id, or null until the connection manager has answered the creation request. */
    String sid() {
        return sid;
    }

    /** How long a request may stay unanswered before it counts as lost: 'wait' and a margin. */
    Duration requestTimeout() {
        return Duration.ofMillis(waitMillis).plus(timings.margin());
    }

    /** How long the connection manager keeps the session without requests (§10). */
    long inactivityMillis() {
        return inactivityMillis;
    }

    /** §7.2: the session creation response sets the session's id and limits. */
    void establish(BoshResponse creation) throws BoshSession.BoshTerminatedException {
        if (creation.isTerminate()) {
            return;
        }
        String id = creation.attribute("sid");
        if (id == null) {
            throw new BoshSession.BoshTerminatedException("the session creation response has no sid");
        }
        sid = id;
        waitMillis = TimeUnit.SECONDS.toMillis(creation.number("wait", timings.longestWait().toSeconds()));
        // Without 'requests' any number is allowed (§11); two is what every manager grants.
        requests = (int) Math.max(1, creation.number("requests", 2));
        hold = (int) Math.max(0, Math.min(creation.number("hold", 1), requests - 1L));
        inactivityMillis = TimeUnit.SECONDS.toMillis(creation.number("inactivity", timings.inactivity().toSeconds()));
        pollingMillis = TimeUnit.SECONDS.toMillis(creation.number("polling", 0));
        // The first empty request of a polling session may go at once.
        lastEmptyRequestNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(pollingMillis);
    }

    /**
     * §11: no more unanswered requests than 'requests'. The extra request §11 allows to
     * terminate is not used: a manager that sees it arrive before the request preceding it
     * may count it against the limit, and waiting for one answer costs a round trip at most.
     */
    boolean windowAllows(int unanswered) {
        return unanswered < requests;
    }

    /**
     * §10: the manager holds up to 'hold' requests to push through; in a polling session (§12,
     * 'hold' 0) empty requests are spaced by 'polling' instead.
     */
    boolean needsEmptyRequest(int unanswered) {
        if (hold > 0) {
            return unanswered < hold;
        }
        if (unanswered != 0) {
            return false;
        }
        long due = lastEmptyRequestNanos + TimeUnit.MILLISECONDS.toNanos(pollingMillis);
        long now = System.nanoTime();
        if (now - due >= 0) {
            return true;
        }
        if (!pollArmed) {
            pollArmed = true;
            CompletableFuture.delayedExecutor(due - now, TimeUnit.NANOSECONDS).execute(poll);
        }
        return false;
    }

    void emptyRequestSent() {
        lastEmptyRequestNanos = System.nanoTime();
    }

    /** The armed poll ran; the next one may be armed. */
    void polled() {
        pollArmed = false;
    }
}
