package im.parley.server.http;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.stream.Namespaces;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamOpen;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sSession;
import im.parley.server.c2s.C2sStreamProcessor;
import im.parley.server.http.BoshOutputQueue.Queued;
import im.parley.server.modules.sm.ManagedSession;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BOSH session (XEP-0124, XEP-0206) carrying one client stream ({@link BoshTransport}). Input is each
 * request's payload, fed to the shared {@link C2sStreamProcessor} strictly in {@code rid}
 * order ({@link BoshRidWindow}); output is queued ({@link BoshOutputQueue}) and handed to the
 * oldest held request ({@link BoshHeldRequests}), which is answered as soon as anything is
 * queued, or empty after {@code wait}. All state lives on one event loop chosen when the
 * session is created, so every change is serial; this class coordinates the parts.
 *
 * <p>No stanza is lost when the client's connection drops: output waits in the queue for the
 * next request; responses are kept until acknowledged (§9) and sent again for a repeated
 * {@code rid} (§14.3, {@link BoshSentResponses}). If no request comes within
 * {@code inactivity} (§10, {@link BoshInactivityTimer}) the session ends through the normal
 * close path (unbinding, so contacts see it go unavailable), and the messages the client never
 * received are routed again to the account's bare JID ({@link UndeliveredStanzaRouter}), where
 * another resource or offline storage takes them.
 */
final class BoshSession {

    private static final Logger LOG = LoggerFactory.getLogger(BoshSession.class);
    static final String VERSION = "1.11";

    private final String sid;
    private final BoshSessions registry;
    private final EventLoop loop;
    private final boolean secure;
    private final int hold;
    private final int requests;
    private final boolean clientAcks;
    private final BoshTransport transport;
    private final C2sStreamProcessor processor;
    private final BoshRidWindow window;
    private final BoshSentResponses responses;
    private final BoshHeldRequests held;
    private final BoshInactivityTimer inactivity;
    private final BoshPollingLimit polling;
    private final BoshOutputQueue queue = new BoshOutputQueue();
    private final UndeliveredStanzaRouter undelivered;

    private String streamId;
    private String streamFrom;
    private boolean terminated;
    private boolean starting;
    /**
     * Pauses of the stream's input now in force ({@link #pauseReading}): while any is, the
     * requests that come wait in the window unprocessed.
     */
    private int readPauses;

    BoshSession(String sid, BoshSessions registry, EventLoop loop, C2sContext context,
                List<FeatureNegotiator<C2sSession>> features, BoshSessions.Grant grant, InetAddress address,
                boolean secure, long firstRid, boolean clientAcks) {
        this.sid = sid;
        this.registry = registry;
        this.loop = loop;
        this.secure = secure;
        this.hold = grant.hold();
        this.requests = grant.hold() + 1;
        this.clientAcks = clientAcks;
        this.transport = new BoshTransport(this, loop, secure, address, grant.maxQueuedBytes());
        this.window = new BoshRidWindow(firstRid, requests);
        this.responses = new BoshSentResponses(firstRid, requests, clientAcks);
        this.held = new BoshHeldRequests(loop, transport::schedule, grant.waitSeconds() * 1000L,
                request -> respond(request, Map.of(), queue.drain()), this::startInactivityIfIdle);
        this.inactivity = new BoshInactivityTimer(transport::schedule, grant.inactivitySeconds() * 1000L,
                grant.maxPauseSeconds() * 1000L, this::inactive);
        this.polling = new BoshPollingLimit(grant.pollingSeconds() * 1000L);
        this.undelivered = new UndeliveredStanzaRouter(context, sid);
        this.processor = new C2sStreamProcessor(context, features, transport);
    }

    String sid() {
        return sid;
    }

    /** The client's address, as counted against {@code bosh.max_sessions_per_address}. */
    InetAddress address() {
        return transport.remoteAddress();
    }

    /** The event loop that owns the session's state. */
    Executor executor() {
        return loop;
    }

    /**
     * XEP-0124 §7.1 and XEP-0206 §4: opens the stream and answers the session creation request
     * at once with the granted limits and the stream features.
     */
    void start(BoshRequest creation, Map<String, String> grantedAttributes) {
        BoshBody body = creation.body();
        held.hold(creation);
        starting = true;
        processor.receive(new StreamOpen(body.to(), null, null, body.xmppVersion(), body.lang(), Namespaces.CLIENT));
        starting = false;
        if (terminated) {
            // The stream was refused (version, namespace): the stream error went out as a terminate body.
            return;
        }
        held.remove(creation);
        Map<String, String> attributes = new LinkedHashMap<>(grantedAttributes);
        attributes.put("sid", sid);
        if (streamFrom != null) {
            attributes.put("from", streamFrom);
        }
        attributes.put("authid", streamId);
        attributes.put("secure", Boolean.toString(secure));
        if (clientAcks) {
            attributes.put("ack", Long.toString(creation.rid()));
        }
        respond(creation, attributes, queue.drain());
    }

    /** A request for this session, on any thread. */
    void receive(BoshRequest request) {
        loop.execute(() -> handle(request));
    }

    private void handle(BoshRequest request) {
        if (terminated) {
            respondTerminate(request, "item-not-found");
            return;
        }
        switch (window.position(request.rid())) {
            case REPEATED -> retransmit(request);
            // XEP-0124 §14.2: a rid beyond the window ends the session.
            case BEYOND -> terminate("item-not-found", request);
            // The client's earlier connection for it was lost.
            case WAITING -> window.await(request);
            case NEW -> admit(request);
        }
    }

    /** A request inside the window: it waits for its turn, then those in order are processed. */
    private void admit(BoshRequest request) {
        boolean exempt = request.body().isTerminate() || request.body().hasPause();
        if (!exempt && held.size() + window.waiting() + 1 > requests) {
            // XEP-0124 §11: more simultaneous requests than granted.
            terminate("policy-violation", request);
            return;
        }
        window.await(request);
        processWaiting();
    }

    /**
     * Processes the requests that are next in {@code rid} order, until one is missing or the
     * stream's input is paused ({@link #pauseReading}).
     */
    private void processWaiting() {
        BoshRequest next;
        while (!terminated && readPauses == 0 && (next = window.pollNext()) != null) {
            process(next);
        }
        if (window.hasWaiting() || !held.isEmpty()) {
            inactivity.cancel();
        }
    }

    /** XEP-0124 §14.3: a repeated rid gets the response already sent for it. */
    private void retransmit(BoshRequest request) {
        if (!request.channel().isActive()) {
            // A copy whose connection closed before it was read, e.g. the one the client gave up
            // on: there is no one to answer, and it must not take the place of a live copy.
            return;
        }
        Optional<String> previous = responses.response(request.rid());
        if (previous.isPresent()) {
            request.respond(previous.get());
            return;
        }
        if (held.replaceConnection(request)) {
            return;
        }
        if (window.isRecent(request.rid()) && !window.isNewest(request.rid())) {
            // Its connection broke before the answer, and a newer request came since. The client
            // processes responses in rid order (XEP-0124 §14.2): held for 'wait', this one would
            // hold up the newer one's answer there, so it is answered now.
            respond(request, Map.of(), queue.drain());
            return;
        }
        if (window.isRecent(request.rid())) {
            // Its connection broke before the answer and nothing was sent: hold it again.
            held.hold(request);
            inactivity.cancel();
            flush();
            answerBeyondHold();
            held.armWait();
            return;
        }
        terminate("item-not-found", request);
    }

    private void process(BoshRequest request) {
        BoshBody body = request.body();
        responses.acknowledge(request.rid(), body.ack());
        inactivity.cancel();
        if (body.hasPause()) {
            pause(request);
            return;
        }
        if (hold == 0 && body.isEmpty() && !body.isRestart() && !body.isTerminate() && !polling.allowEmptyPoll()) {
            // XEP-0124 §12: a polling session polls no faster than 'polling'.
            terminate("policy-violation", request);
            return;
        }
        inactivity.resume();
        held.hold(request);
        if (body.isRestart()) {
            processor.receive(new StreamOpen(body.to(), null, null, "1.0", body.lang(), Namespaces.CLIENT));
        }
        for (Element stanza : body.payload()) {
            processor.receive(stanza);
        }
        if (body.isTerminate()) {
            // XEP-0124 §13: the stream ends as over TCP; the answer is a terminate body.
            processor.receive(StreamClose.INSTANCE);
            if (!terminated) {
                endSession(null, false);
            }
            return;
        }
        if (terminated) {
            return;
        }
        flush();
        answerBeyondHold();
        held.armWait();
    }

    /** XEP-0124 §10: the client will be away for up to 'pause' seconds; answer what is held now. */
    private void pause(BoshRequest request) {
        if (!inactivity.pause(request.body().pauseSeconds())) {
            terminate("policy-violation", request);
            return;
        }
        held.hold(request);
        BoshRequest next;
        while ((next = held.poll()) != null) {
            respond(next, Map.of(), queue.drain());
        }
    }

    /** XEP-0124 §7: no more than 'hold' requests stay held; the oldest are answered. */
    private void answerBeyondHold() {
        while (held.size() > hold) {
            respond(held.poll(), Map.of(), queue.drain());
        }
    }

    private void flush() {
        if (!starting && !queue.isEmpty() && !held.isEmpty()) {
            respond(held.poll(), Map.of(), queue.drain());
        }
    }

    /** Answers a request no longer held, keeping the response until it is acknowledged (§9). */
    private void respond(BoshRequest request, Map<String, String> attributes, List<Queued> payload) {
        List<String> xml = new ArrayList<>(payload.size());
        List<Element> stanzas = new ArrayList<>(payload.size());
        for (Queued q : payload) {
            xml.add(q.xml());
            stanzas.add(q.element());
        }
        String body = BoshResponses.body(attributes, xml);
        responses.record(request.rid(), body, stanzas);
        request.respond(body);
        startInactivityIfIdle();
    }

    private void respondTerminate(BoshRequest request, String condition) {
        request.respond(BoshResponses.terminate(condition));
    }

    /** XEP-0124 §10: with no request held, the session lives for 'inactivity' (or the granted pause). */
    private void startInactivityIfIdle() {
        if (terminated || !held.isEmpty() || window.hasWaiting()) {
            return;
        }
        inactivity.start();
    }

    private void inactive(long millis) {
        if (!terminated && held.isEmpty() && !window.hasWaiting()) {
            LOG.debug("BOSH session {} inactive for {} ms", sid, millis);
            endSession(null, true);
        }
    }

    /** A binding error (XEP-0124 §17.1): the session ends and the request gets the condition. */
    private void terminate(String condition, BoshRequest request) {
        respondTerminate(request, condition);
        endSession(condition, false);
    }

    /**
     * Ends the session: held requests get terminate bodies (the oldest with what is queued,
     * and {@code remote-stream-error} if that includes a stream error, XEP-0206 §7), the stream
     * is unbound like a dropped TCP connection, and undelivered messages are routed again.
     */
    private void endSession(String condition, boolean inactive) {
        if (terminated) {
            return;
        }
        terminated = true;
        registry.remove(this);
        inactivity.cancel();
        List<Queued> output = queue.drain();
        boolean streamError = output.stream().anyMatch(q -> isStreamError(q.element()));
        String reason = condition != null ? condition : streamError ? "remote-stream-error" : null;
        BoshRequest first = held.poll();
        if (first != null) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("type", "terminate");
            if (reason != null) {
                attributes.put("condition", reason);
            }
            first.respond(BoshResponses.body(attributes, output.stream().map(Queued::xml).toList()));
            output = List.of();
        }
        BoshRequest next;
        while ((next = held.poll()) != null) {
            respondTerminate(next, reason);
        }
        window.drainWaiting().forEach(r -> respondTerminate(r, reason));
        processor.disconnected();
        List<Element> lost = new ArrayList<>();
        output.forEach(q -> lost.add(q.element()));
        if (inactive) {
            lost.addAll(responses.unacknowledgedStanzas());
        }
        responses.clear();
        if (processor.session().interceptor(ManagedSession.class).isEmpty()) {
            // With stream management on, it counted these as sent and reroutes what the client
            // did not acknowledge when the session ends (XEP-0198 §5): doing it here too would
            // deliver them twice.
            lost.forEach(this::routeAgain);
        }
    }

    private static boolean isStreamError(Element element) {
        return "error".equals(element.getName()) && Namespaces.STREAMS.equals(element.getNamespaceURI());
    }

    private void routeAgain(Element stanza) {
        undelivered.route(processor.session().jid(), stanza);
    }

    // --- The stream's side, called by BoshTransport on the loop ---

    /** Queues what the stream writes; {@code flush} hands it to a held request at once. */
    void output(Object message, boolean flush) {
        enqueue(message);
        if (flush && !terminated) {
            flush();
        }
    }

    /**
     * The stream takes no more input for now: a feature step runs, or the server's stanzas in
     * flight are past its bound (RFC 6120 §13.12, {@code IntakeLimit}). The requests that come
     * meanwhile wait in the window, their payloads unread, as a TCP connection's bytes wait in
     * its buffers: the client has at most {@code requests} of them out (XEP-0124 §11), so it
     * sends no more until one is answered, and the held requests are still answered with what
     * the server sends. Pauses add up; input goes on when the last ends ({@link #resumeReading}).
     */
    void pauseReading() {
        readPauses++;
    }

    /** Ends one pause ({@link #pauseReading}); after the last, the waiting requests are processed in order. */
    void resumeReading() {
        if (readPauses > 0 && --readPauses == 0) {
            processWaiting();
        }
    }

    /** The stream ended or was closed: so does the session. */
    void end() {
        endSession(null, false);
    }

    boolean isActive() {
        return !terminated;
    }

    long queuedBytes() {
        return queue.bytes();
    }

    private void enqueue(Object message) {
        if (message instanceof StreamOpen open) {
            // The header's id and from become the session's authid and from (XEP-0206 §4).
            streamId = open.id();
            streamFrom = open.from();
        } else if (message instanceof Element element) {
            if (terminated) {
                routeAgain(element);
                return;
            }
            queue.add(element);
        }
        // StreamClose: the session ends with closeAfterFlush, which follows it.
    }
}
