package im.parley.sdk;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private final BoshHttp http;
    private final Timings timings;
    private final String domain;
    private final String lang;

    // Guarded by this; the parts below take no lock of their own, so one monitor orders them all.
    private final BoshParameters parameters;
    private final BoshRequests requests;
    private final BoshOutgoing outgoing;
    private final BoshDelivery delivery;
    private boolean terminating;
    private boolean over;

    /**
     * @param firstRid the session creation request's rid: random and far below 2^53 (§14.1)
     */
    BoshSession(BoshHttp http, Timings timings, String domain, String lang, long firstRid, Listener listener) {
        this.http = http;
        this.timings = timings;
        this.domain = domain;
        this.lang = lang;
        this.parameters = new BoshParameters(timings, this::poll);
        this.requests = new BoshRequests(firstRid);
        this.outgoing = new BoshOutgoing(domain, lang);
        this.delivery = new BoshDelivery(this, listener, this::endLocked);
    }

    /** Sends the session creation request (§7.1); the response or the failure goes to the listener. */
    void start() {
        synchronized (this) {
            requests.add(rid -> BoshBodies.creation(rid, domain, lang, timings.longestWait().toSeconds()), false);
        }
        writeNext();
    }

    /** Whether the connection manager has answered the session creation request. */
    synchronized boolean established() {
        return parameters.sid() != null;
    }

    /** Queues a payload (a stanza or nonza as XML); false if the session is over or ending. */
    boolean send(String xml) {
        return enqueue(new BoshOutgoing.Payload(xml));
    }

    /** XEP-0206 §5: restarts the stream after SASL success; false if the session is over or ending. */
    boolean restart() {
        return enqueue(BoshOutgoing.Marker.RESTART);
    }

    /**
     * Ends the session (§13), sending what is queued with the terminate request. The future
     * completes once the session is over, whether the connection manager answered or not.
     */
    CompletableFuture<Void> terminate() {
        enqueue(BoshOutgoing.Marker.TERMINATE);
        return delivery.finished();
    }

    /** Drops the session at once, without a word to the connection manager or the listener. */
    void abort() {
        synchronized (this) {
            delivery.silence();
            endLocked(null);
            delivery.clear();
        }
        delivery.finished().complete(null);
    }

    private boolean enqueue(BoshOutgoing.Item item) {
        synchronized (this) {
            if (over || terminating) {
                return false;
            }
            if (item == BoshOutgoing.Marker.TERMINATE) {
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
        while (!over && parameters.sid() != null) {
            String sid = parameters.sid();
            if (!outgoing.isEmpty()) {
                if (!parameters.windowAllows(requests.size())) {
                    return;
                }
                BoshOutgoing.Body body = outgoing.take(sid);
                requests.add(body.xml(), body.terminates());
            } else if (!terminating && parameters.needsEmptyRequest(requests.size())) {
                requests.add(rid -> BoshBodies.payload(rid, sid, List.of()), false);
                parameters.emptyRequestSent();
            } else {
                return;
            }
        }
    }

    private void poll() {
        synchronized (this) {
            parameters.polled();
            fill();
        }
        writeNext();
    }

    /**
     * Hands the next request to HTTP, for the first time or again (§14.3, always the very same
     * text), unless the one before is still being written.
     */
    private void writeNext() {
        BoshRequest request;
        int attempt;
        Duration timeout;
        synchronized (this) {
            request = over ? null : requests.nextToWrite();
            if (request == null) {
                return;
            }
            attempt = ++request.attempt;
            timeout = parameters.requestTimeout();
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

    private void written(BoshRequest request, int attempt) {
        synchronized (this) {
            if (!requests.writtenOut(request, attempt)) {
                return;
            }
        }
        writeNext();
    }

    private void answered(BoshRequest request, int attempt, BoshHttp.Reply reply, Throwable failure) {
        boolean deliver;
        synchronized (this) {
            // It failed before it was written, or was answered as it was.
            requests.writtenOut(request, attempt);
            if (!over && request.attempt == attempt && requests.awaits(request)) {
                request.exchange = null;
                try {
                    BoshResponse response = request.read(reply, failure);
                    if (response.isRecoverableError()) {
                        requests.resendUpTo(request);
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
            deliver = delivery.claim();
        }
        writeNext();
        if (deliver) {
            delivery.deliver();
        }
    }

    /**
     * §14.3: a request whose connection broke is sent again after a pause, for as long as the
     * connection manager keeps the session without requests (§10). Not while the session is
     * being created or ended: there is nothing to recover then, and the caller learns at once.
     */
    private void failed(BoshRequest request, IOException cause) {
        if (parameters.sid() == null || terminating) {
            // Ending on request is no failure, even if its last words are lost.
            endLocked(terminating ? null : cause);
            return;
        }
        long now = System.nanoTime();
        if (request.failingSince < 0) {
            request.failingSince = now;
        }
        if (now - request.failingSince > TimeUnit.MILLISECONDS.toNanos(parameters.inactivityMillis())) {
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

    /** Hands over the answered requests at the head, in rid order (§14.2). */
    private void releaseInOrder() throws BoshTerminatedException {
        BoshRequest request;
        while ((request = requests.pollAnswered()) != null) {
            BoshResponse response = request.answer;
            if (parameters.sid() == null) {
                parameters.establish(response);
            }
            if (request.terminates) {
                // §13: "Upon receiving the response, the client MUST consider the HTTP session to
                // have been terminated", whatever the response carries.
                delivery.add(response);
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
                delivery.add(response);
                endLocked(terminating && condition == null ? null : new BoshTerminatedException(condition));
                return;
            }
            delivery.add(response);
        }
    }

    /** The session is over: nothing more goes out; the listener hears why after what it already has. */
    private void endLocked(Exception cause) {
        if (over) {
            return;
        }
        over = true;
        requests.clear();
        outgoing.clear();
        delivery.end(cause);
    }

    /** The connection manager ended the session (XEP-0124 §17.2), or it could not be created. */
    static final class BoshTerminatedException extends IOException {
        private static final long serialVersionUID = 1L;

        BoshTerminatedException(String condition) {
            super("the server ended the BOSH session" + (condition == null ? "" : ": " + condition));
        }
    }
}
