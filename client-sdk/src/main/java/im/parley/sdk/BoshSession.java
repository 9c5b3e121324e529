package im.parley.sdk;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client side of one BOSH session (XEP-0124, XEP-0206 §4-§5): sends what is queued in
 * {@code <body/>} requests, keeps one request held by the connection manager so that it can
 * push (§10), and hands the responses to the {@link Listener} strictly in {@code rid} order
 * (§14.2).
 *
 * <p>An HTTP connection that breaks is not the end of the session: the request it carried is
 * sent again, byte for byte and with the same {@code rid}, on a new connection (§14.3), and the
 * connection manager answers it from its buffer of sent responses. Only if that keeps failing for
 * longer than the session's {@code inactivity} period (§10), after which the connection manager
 * has forgotten the session, or if the connection manager ends the session (§17.2), is the
 * session over.
 *
 * <p>Requests are handed to HTTP one at a time, strictly in {@code rid} order, and a request
 * whose connection broke goes out again before any newer one: connection managers count on that
 * order. Prosody ends the session when a request it holds unanswered is sent again after a newer
 * one; a manager that answered the newer one and then holds the older again leaves an in-order
 * client waiting.
 *
 * <p>Never more requests are unanswered than the connection manager allows ({@code requests},
 * §11), counting those being sent again, so the manager always still has every response the
 * client may ask for again. Nothing here blocks: requests go out asynchronously and the listener
 * is called on the thread of the HTTP response, one call at a time.
 */
final class BoshSession {

    private static final Logger LOGGER = Logger.getLogger(BoshSession.class.getName());

    /** Hears what the session receives, one call at a time, in order. */
    interface Listener {

        /** A response, in {@code rid} order; its parser stands on the {@code <body/>} start tag. */
        void received(BoshResponse response) throws Exception;

        /**
         * The session is over; called once, after the last response. {@code cause} is null when it
         * ended as the client asked ({@link #terminate()}).
         */
        void ended(Exception cause);
    }

    /**
     * How long the session waits and how it retries.
     *
     * @param longestWait the longest the client lets the connection manager hold a request (§7.1 'wait')
     * @param margin added to 'wait' before a silent request counts as lost
     * @param firstRetry the pause before the first retransmission, doubled after each failure
     * @param maxRetry the longest pause between retransmissions
     * @param inactivity how long to keep retrying when the manager did not say ('inactivity', §10)
     */
    record Timings(Duration longestWait, Duration margin, Duration firstRetry, Duration maxRetry, Duration inactivity) {

        static Timings defaults() {
            return new Timings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMillis(100),
                    Duration.ofSeconds(5), Duration.ofSeconds(60));
        }

        Duration retryDelay(int failures) {
            long millis = firstRetry.toMillis() << Math.min(failures - 1, 20);
            return Duration.ofMillis(Math.min(millis, maxRetry.toMillis()));
        }
    }

    /** A request not yet answered in order, kept to be sent again unchanged (§14.3). */
    private static final class Request {
        final long rid;
        final String xml;
        final boolean terminates;
        /** It has to go out: it is new, or its connection broke. */
        boolean unsent = true;
        /** It waits for the pause before it is sent again. */
        boolean pausing;
        /** Sendings so far; an answer to an earlier one is stale. */
        int attempt;
        int failures;
        long failingSince = -1;
        CompletableFuture<BoshHttp.Reply> exchange;
        BoshResponse answer;

        Request(long rid, String xml, boolean terminates) {
            this.rid = rid;
            this.xml = xml;
            this.terminates = terminates;
        }
    }

    /** What waits to be sent: payloads, in order, and the stream restart and session end between them. */
    private sealed interface Outgoing {
    }

    private record Payload(String xml) implements Outgoing {
    }

    private enum Marker implements Outgoing { RESTART, TERMINATE }

    /** The end of the session, delivered to the listener after the responses before it. */
    private record Ending(Exception cause) {
    }

    private final BoshHttp http;
    private final Timings timings;
    private final String domain;
    private final String lang;
    private final Listener listener;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    // Guarded by this.
    private final TreeMap<Long, Request> unanswered = new TreeMap<>();
    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    /** The request being handed to HTTP; the next one waits until it is written. */
    private Request writing;
    private long nextRid;
    private String sid;
    private long waitMillis;
    private int requests = 1;
    private int hold = 1;
    private long inactivityMillis;
    private long pollingMillis;
    private long lastEmptyRequestNanos;
    private boolean pollArmed;
    private boolean terminating;
    private boolean over;
    private boolean delivering;
    private boolean endReported;

    /**
     * @param firstRid the session creation request's rid: random and far below 2^53 (§14.1)
     */
    BoshSession(BoshHttp http, Timings timings, String domain, String lang, long firstRid, Listener listener) {
        this.http = http;
        this.timings = timings;
        this.domain = domain;
        this.lang = lang;
        this.nextRid = firstRid;
        this.listener = listener;
        this.waitMillis = timings.longestWait().toMillis();
        this.inactivityMillis = timings.inactivity().toMillis();
    }

    /** Sends the session creation request (§7.1); the response or the failure goes to the listener. */
    void start() {
        synchronized (this) {
            newRequest(rid -> BoshBodies.creation(rid, domain, lang, timings.longestWait().toSeconds()), false);
        }
        writeNext();
    }

    /** Whether the connection manager has answered the session creation request. */
    synchronized boolean established() {
        return sid != null;
    }

    /** Queues a payload (a stanza or nonza as XML); false if the session is over or ending. */
    boolean send(String xml) {
        return enqueue(new Payload(xml));
    }

    /** XEP-0206 §5: restarts the stream after SASL success; false if the session is over or ending. */
    boolean restart() {
        return enqueue(Marker.RESTART);
    }

    /**
     * Ends the session (§13), sending what is queued with the terminate request. The future
     * completes once the session is over, whether the connection manager answered or not.
     */
    CompletableFuture<Void> terminate() {
        enqueue(Marker.TERMINATE);
        return finished;
    }

    /** Drops the session at once, without a word to the connection manager or the listener. */
    void abort() {
        synchronized (this) {
            endReported = true;
            endLocked(null);
            ready.clear();
        }
        finished.complete(null);
    }

    private boolean enqueue(Outgoing item) {
        synchronized (this) {
            if (over || terminating) {
                return false;
            }
            if (item == Marker.TERMINATE) {
                terminating = true;
            }
            outgoing.add(item);
            fill();
        }
        writeNext();
        return true;
    }

    /** Creates the requests that may go out now: what is queued, or an empty one to be held (§10). */
    private void fill() {
        while (!over && sid != null) {
            Outgoing head = outgoing.peek();
            if (head == Marker.RESTART) {
                if (!windowAllows()) {
                    return;
                }
                outgoing.poll();
                newRequest(rid -> BoshBodies.restart(rid, sid, domain, lang), false);
            } else if (head != null) {
                if (!windowAllows()) {
                    return;
                }
                // The payloads up to the next marker; a terminate right after them carries them.
                List<String> payloads = new ArrayList<>();
                boolean terminate = false;
                for (Outgoing item : outgoing) {
                    if (item instanceof Payload payload) {
                        payloads.add(payload.xml());
                    } else {
                        terminate = item == Marker.TERMINATE;
                        break;
                    }
                }
                for (int i = payloads.size() + (terminate ? 1 : 0); i > 0; i--) {
                    outgoing.poll();
                }
                boolean ends = terminate;
                newRequest(rid -> ends ? BoshBodies.terminate(rid, sid, payloads)
                        : BoshBodies.payload(rid, sid, payloads), ends);
            } else if (!terminating && needsEmptyRequest()) {
                newRequest(rid -> BoshBodies.payload(rid, sid, List.of()), false);
                lastEmptyRequestNanos = System.nanoTime();
            } else {
                return;
            }
        }
    }

    /**
     * §11: no more unanswered requests than 'requests'. The extra request §11 allows to
     * terminate is not used: a manager that sees it arrive before the request preceding it
     * may count it against the limit, and waiting for one answer costs a round trip at most.
     */
    private boolean windowAllows() {
        return unanswered.size() < requests;
    }

    /**
     * §10: the manager holds up to 'hold' requests to push through; in a polling session (§12,
     * 'hold' 0) empty requests are spaced by 'polling' instead.
     */
    private boolean needsEmptyRequest() {
        if (hold > 0) {
            return unanswered.size() < hold;
        }
        if (!unanswered.isEmpty()) {
            return false;
        }
        long due = lastEmptyRequestNanos + TimeUnit.MILLISECONDS.toNanos(pollingMillis);
        long now = System.nanoTime();
        if (now - due >= 0) {
            return true;
        }
        if (!pollArmed) {
            pollArmed = true;
            CompletableFuture.delayedExecutor(due - now, TimeUnit.NANOSECONDS).execute(this::poll);
        }
        return false;
    }

    private void poll() {
        synchronized (this) {
            pollArmed = false;
            fill();
        }
        writeNext();
    }

    private void newRequest(LongFunction<String> body, boolean terminates) {
        long rid = nextRid++;
        unanswered.put(rid, new Request(rid, body.apply(rid), terminates));
    }

    /**
     * Hands the next request to HTTP, for the first time or again (§14.3, always the very same
     * text), unless the one before is still being written.
     */
    private void writeNext() {
        Request request;
        int attempt;
        Duration timeout;
        synchronized (this) {
            request = nextToWrite();
            if (request == null) {
                return;
            }
            attempt = ++request.attempt;
            timeout = Duration.ofMillis(waitMillis).plus(timings.margin());
        }
        CompletableFuture<BoshHttp.Reply> exchange = http.post(request.xml, timeout, () -> written(request, attempt));
        synchronized (this) {
            if (over) {
                exchange.cancel(true);
                return;
            }
            if (request.attempt == attempt) {
                request.exchange = exchange;
            }
        }
        exchange.whenComplete((reply, failure) -> answered(request, attempt, reply, failure));
    }

    /** The unsent request with the lowest rid, unless one is being written or it pauses before going out again. */
    private Request nextToWrite() {
        if (over || writing != null) {
            return null;
        }
        for (Request request : unanswered.values()) {
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

    private void written(Request request, int attempt) {
        synchronized (this) {
            if (writing != request || request.attempt != attempt) {
                return;
            }
            writing = null;
        }
        writeNext();
    }

    private void answered(Request request, int attempt, BoshHttp.Reply reply, Throwable failure) {
        boolean deliver;
        synchronized (this) {
            if (writing == request && request.attempt == attempt) {
                // It failed before it was written, or was answered as it was.
                writing = null;
            }
            if (!over && request.attempt == attempt && unanswered.get(request.rid) == request) {
                request.exchange = null;
                try {
                    BoshResponse response = read(request, reply, failure);
                    if (response.isRecoverableError()) {
                        resendUpTo(request);
                    } else {
                        request.answer = response;
                        releaseInOrder();
                        fill();
                    }
                } catch (BoshTerminatedException e) {
                    endLocked(e);
                } catch (IOException e) {
                    failed(request, e);
                }
            }
            deliver = !delivering && !ready.isEmpty();
            delivering |= deliver;
        }
        writeNext();
        if (deliver) {
            deliver();
        }
    }

    /** The response, or why there is none: a broken connection, a timeout, an intermediary's error. */
    private static BoshResponse read(Request request, BoshHttp.Reply reply, Throwable failure) throws IOException {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
        }
        // §17.1: the deprecated HTTP error conditions are terminal; anything else is an intermediary's trouble.
        switch (reply.status()) {
            case 200 -> {
                return BoshResponse.parse(request.rid, reply.body());
            }
            case 400 -> throw new BoshTerminatedException("bad-request (HTTP 400)");
            case 403 -> throw new BoshTerminatedException("policy-violation (HTTP 403)");
            case 404 -> throw new BoshTerminatedException("item-not-found (HTTP 404)");
            default -> throw new IOException("HTTP status " + reply.status());
        }
    }

    /**
     * §14.3: a request whose connection broke is sent again after a pause, for as long as the
     * connection manager keeps the session without requests (§10). Not while the session is
     * being created or ended: there is nothing to recover then, and the caller learns at once.
     */
    private void failed(Request request, IOException cause) {
        if (sid == null || terminating) {
            // Ending on request is no failure, even if its last words are lost.
            endLocked(terminating ? null : cause);
            return;
        }
        long now = System.nanoTime();
        if (request.failingSince < 0) {
            request.failingSince = now;
        }
        if (now - request.failingSince > TimeUnit.MILLISECONDS.toNanos(inactivityMillis)) {
            LOGGER.log(Level.FINE, "BOSH request {0} failed for longer than the session lives without requests",
                    request.rid);
            endLocked(cause);
            return;
        }
        Duration pause = timings.retryDelay(++request.failures);
        LOGGER.log(Level.FINE, "BOSH request {0} failed ({1}); sending it again in {2} ms",
                new Object[] {request.rid, cause, pause.toMillis()});
        request.unsent = true;
        request.pausing = true;
        CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (this) {
                request.pausing = false;
            }
            writeNext();
        });
    }

    /** §17.3: a recoverable error: this request and every earlier unanswered one are sent again. */
    private void resendUpTo(Request request) {
        for (Request earlier : unanswered.headMap(request.rid, true).values()) {
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

    /** Hands over the answered requests at the head, in rid order (§14.2). */
    private void releaseInOrder() throws BoshTerminatedException {
        while (!unanswered.isEmpty() && unanswered.firstEntry().getValue().answer != null) {
            Request request = unanswered.pollFirstEntry().getValue();
            BoshResponse response = request.answer;
            if (sid == null) {
                establish(response);
            }
            if (request.terminates) {
                // §13: "Upon receiving the response, the client MUST consider the HTTP session to
                // have been terminated", whatever the response carries.
                ready.add(response);
                endLocked(null);
                return;
            }
            if (response.isTerminate()) {
                String condition = response.attribute("condition");
                if (request.attempt > 1 && "item-not-found".equals(condition)) {
                    // §14.3: the manager has no response to send again. A request held when its
                    // connection broke never had one, and Prosody answers its repeat so once a
                    // newer request came, yet keeps the session. Nothing was lost; if the session
                    // did end, the next request hears so.
                    LOGGER.log(Level.FINE, "BOSH request {0} sent again has no response to repeat", request.rid);
                    continue;
                }
                ready.add(response);
                endLocked(terminating && condition == null ? null : new BoshTerminatedException(condition));
                return;
            }
            ready.add(response);
        }
    }

    /** §7.2: the session creation response sets the session's id and limits. */
    private void establish(BoshResponse creation) throws BoshTerminatedException {
        if (creation.isTerminate()) {
            return;
        }
        String id = creation.attribute("sid");
        if (id == null) {
            throw new BoshTerminatedException("the session creation response has no sid");
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

    /** The session is over: nothing more goes out; the listener hears why after what it already has. */
    private void endLocked(Exception cause) {
        if (over) {
            return;
        }
        over = true;
        writing = null;
        for (Request request : unanswered.values()) {
            if (request.exchange != null) {
                request.exchange.cancel(true);
            }
        }
        unanswered.clear();
        outgoing.clear();
        ready.add(new Ending(cause));
    }

    /** Calls the listener with what is ready, one item at a time, until nothing is left. */
    private void deliver() {
        while (true) {
            Object next;
            synchronized (this) {
                next = ready.poll();
                if (next == null) {
                    delivering = false;
                    return;
                }
            }
            if (next instanceof BoshResponse response) {
                try {
                    listener.received(response);
                } catch (Exception e) {
                    // A payload the connection cannot take (a stream error, unparsable XML) ends the session.
                    report(e);
                    synchronized (this) {
                        ready.clear();
                        endLocked(e);
                    }
                }
            } else {
                report(((Ending) next).cause());
            }
        }
    }

    private void report(Exception cause) {
        synchronized (this) {
            if (endReported) {
                return;
            }
            endReported = true;
        }
        finished.complete(null);
        listener.ended(cause);
    }

    /** The connection manager ended the session (XEP-0124 §17.2), or it could not be created. */
    static final class BoshTerminatedException extends IOException {
        private static final long serialVersionUID = 1L;

        BoshTerminatedException(String condition) {
            super("the server ended the BOSH session" + (condition == null ? "" : ": " + condition));
        }
    }
}
