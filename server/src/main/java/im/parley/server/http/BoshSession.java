package im.parley.server.http;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.routing.Stanza;
import im.parley.core.sasl.ChannelBindingSource;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmppElementEncoder;
import im.parley.server.c2s.C2sContext;
import im.parley.server.c2s.C2sSession;
import im.parley.server.c2s.C2sStreamProcessor;
import im.parley.server.c2s.C2sTransport;
import im.parley.server.modules.sm.ManagedSession;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BOSH session (XEP-0124, XEP-0206) as the transport of one client stream. Input is each
 * request's payload, fed to the shared {@link C2sStreamProcessor} strictly in {@code rid}
 * order; output is queued and handed to the oldest held request, which is answered as soon
 * as anything is queued, or empty after {@code wait}. All state lives on one event loop
 * chosen when the session is created, so every change is serial.
 *
 * <p>No stanza is lost when the client's connection drops: output waits in the queue for the
 * next request; responses are kept until acknowledged (§9) and sent again for a repeated
 * {@code rid} (§14.3). If no request comes within {@code inactivity} (§10) the session ends
 * through the normal close path (unbinding, so contacts see it go unavailable), and the
 * messages the client never received are routed again to the account's bare JID, where
 * another resource or offline storage takes them.
 */
final class BoshSession implements C2sTransport {

    private static final Logger LOG = LoggerFactory.getLogger(BoshSession.class);
    static final String VERSION = "1.11";

    /** A request waiting for its response; {@code cancelWait} is null until its 'wait' timer runs. */
    private static final class Held {
        BoshRequest request;
        Runnable cancelWait;
        GenericFutureListener<Future<? super Void>> closeListener;

        Held(BoshRequest request) {
            this.request = request;
        }

        /** Stops the 'wait' timer and stops watching the connection: the request is being answered. */
        void cancelWait() {
            if (cancelWait != null) {
                cancelWait.run();
                cancelWait = null;
            }
            if (closeListener != null) {
                request.channel().closeFuture().removeListener(closeListener);
                closeListener = null;
            }
        }
    }

    private record Queued(Element element, String xml) {
    }

    private record Sent(String xml, List<Element> stanzas) {
    }

    private final String sid;
    private final BoshSessions registry;
    private final EventLoop loop;
    private final C2sContext context;
    private final boolean secure;
    private final InetAddress address;
    private final long waitMillis;
    private final int hold;
    private final int requests;
    private final long inactivityMillis;
    private final long maxPauseMillis;
    private final long pollingMillis;
    private final long maxQueuedBytes;
    private final boolean clientAcks;
    private final C2sStreamProcessor processor;

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final TreeMap<Long, BoshRequest> early = new TreeMap<>();
    private final LinkedHashMap<Long, Sent> sent = new LinkedHashMap<>();
    private final List<Queued> queue = new ArrayList<>();
    private long queuedBytes;
    private long lastRid;
    private long acknowledged;
    private long lastEmptyPoll;
    private long pauseMillis;
    private Runnable cancelInactivity;
    private String streamId;
    private String streamFrom;
    private boolean terminated;
    private boolean starting;

    BoshSession(String sid, BoshSessions registry, EventLoop loop, C2sContext context,
                List<FeatureNegotiator<C2sSession>> features, BoshSessions.Grant grant, InetAddress address,
                boolean secure, long firstRid, boolean clientAcks) {
        this.sid = sid;
        this.registry = registry;
        this.loop = loop;
        this.context = context;
        this.secure = secure;
        this.address = address;
        this.waitMillis = grant.waitSeconds() * 1000L;
        this.hold = grant.hold();
        this.requests = grant.hold() + 1;
        this.inactivityMillis = grant.inactivitySeconds() * 1000L;
        this.maxPauseMillis = grant.maxPauseSeconds() * 1000L;
        this.pollingMillis = grant.pollingSeconds() * 1000L;
        this.maxQueuedBytes = grant.maxQueuedBytes();
        this.clientAcks = clientAcks;
        this.lastRid = firstRid;
        this.acknowledged = firstRid - 1;
        this.processor = new C2sStreamProcessor(context, features, this);
    }

    String sid() {
        return sid;
    }

    /**
     * XEP-0124 §7.1 and XEP-0206 §4: opens the stream and answers the session creation request
     * at once with the granted limits and the stream features.
     */
    void start(BoshRequest creation, Map<String, String> grantedAttributes) {
        BoshBody body = creation.body();
        Held first = new Held(creation);
        held.add(first);
        watchConnection(first);
        starting = true;
        processor.receive(new StreamOpen(body.to(), null, null, body.xmppVersion(), body.lang(), Namespaces.CLIENT));
        starting = false;
        if (terminated) {
            // The stream was refused (version, namespace): the stream error went out as a terminate body.
            return;
        }
        held.remove(first);
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
        respond(first, attributes, drainQueue());
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
        long rid = request.rid();
        if (rid <= lastRid) {
            retransmit(request);
            return;
        }
        if (rid > lastRid + requests) {
            // XEP-0124 §14.2: a rid beyond the window ends the session.
            terminate("item-not-found", request);
            return;
        }
        if (early.containsKey(rid)) {
            early.put(rid, request);  // the client's earlier connection for it was lost
            return;
        }
        boolean exempt = request.body().isTerminate() || request.body().hasPause();
        if (!exempt && held.size() + early.size() + 1 > requests) {
            // XEP-0124 §11: more simultaneous requests than granted.
            terminate("policy-violation", request);
            return;
        }
        early.put(rid, request);
        BoshRequest next;
        while (!terminated && (next = early.remove(lastRid + 1)) != null) {
            lastRid = next.rid();
            process(next);
        }
        if (!early.isEmpty() || !held.isEmpty()) {
            cancelInactivity();
        }
    }

    /** XEP-0124 §14.3: a repeated rid gets the response already sent for it. */
    private void retransmit(BoshRequest request) {
        Sent previous = sent.get(request.rid());
        if (previous != null) {
            request.respond(previous.xml());
            return;
        }
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.request.rid() == request.rid()) {
                // Still held: answer on the new connection instead (the old one is presumably gone).
                h.request.channel().closeFuture().removeListener(h.closeListener);
                h.request = request;
                watchConnection(h);
                return;
            }
        }
        if (request.rid() > lastRid - requests) {
            // Its connection broke before the answer and nothing was sent: hold it again.
            Held again = new Held(request);
            held.add(again);
            watchConnection(again);
            cancelInactivity();
            flush();
            while (held.size() > hold) {
                respond(held.poll(), Map.of(), drainQueue());
            }
            armWait();
            return;
        }
        terminate("item-not-found", request);
    }

    private void process(BoshRequest request) {
        BoshBody body = request.body();
        acknowledge(request);
        cancelInactivity();
        if (body.hasPause()) {
            pause(request);
            return;
        }
        if (hold == 0 && body.isEmpty() && !body.isRestart() && !body.isTerminate()) {
            long now = System.nanoTime();
            if (lastEmptyPoll != 0 && now - lastEmptyPoll < TimeUnit.MILLISECONDS.toNanos(pollingMillis)) {
                // XEP-0124 §12: a polling session polls no faster than 'polling'.
                terminate("policy-violation", request);
                return;
            }
            lastEmptyPoll = now;
        }
        pauseMillis = 0;
        Held h = new Held(request);
        held.add(h);
        watchConnection(h);
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
        while (held.size() > hold) {
            respond(held.poll(), Map.of(), drainQueue());
        }
        armWait();
    }

    /** XEP-0124 §9.1: without an 'ack', a new rid proves every response up to rid - requests arrived. */
    private void acknowledge(BoshRequest request) {
        long ack = request.rid() - requests;
        if (clientAcks && request.body().ack().isPresent()) {
            ack = Math.max(ack, request.body().ack().getAsLong());
        }
        acknowledged = Math.max(acknowledged, ack);
        sent.keySet().removeIf(rid -> rid <= acknowledged);
    }

    /** XEP-0124 §10: the client will be away for up to 'pause' seconds; answer what is held now. */
    private void pause(BoshRequest request) {
        long millis = request.body().pauseSeconds().orElse(-1) * 1000L;
        if (millis < 0 || millis > maxPauseMillis) {
            terminate("policy-violation", request);
            return;
        }
        pauseMillis = millis;
        held.add(new Held(request));
        while (!held.isEmpty()) {
            respond(held.poll(), Map.of(), drainQueue());
        }
    }

    private void armWait() {
        for (Held h : held) {
            if (h.cancelWait == null) {
                h.cancelWait = schedule(() -> waitExpired(h), waitMillis);
            }
        }
    }

    /** XEP-0124 §8: nothing to send within 'wait': an empty response. */
    private void waitExpired(Held h) {
        h.cancelWait = null;
        if (held.remove(h)) {
            respond(h, Map.of(), drainQueue());
        }
    }

    /** The HTTP connection of a held request closed before its answer: output waits for the next one. */
    private void watchConnection(Held h) {
        h.closeListener = f -> loop.execute(() -> {
            if (held.remove(h)) {
                h.closeListener = null;
                h.cancelWait();
                startInactivityIfIdle();
            }
        });
        h.request.channel().closeFuture().addListener(h.closeListener);
    }

    private void flush() {
        if (!starting && !queue.isEmpty() && !held.isEmpty()) {
            respond(held.poll(), Map.of(), drainQueue());
        }
    }

    private List<Queued> drainQueue() {
        List<Queued> drained = new ArrayList<>(queue);
        queue.clear();
        queuedBytes = 0;
        return drained;
    }

    private void respond(Held h, Map<String, String> attributes, List<Queued> payload) {
        h.cancelWait();
        List<String> xml = new ArrayList<>(payload.size());
        List<Element> stanzas = new ArrayList<>(payload.size());
        for (Queued q : payload) {
            xml.add(q.xml());
            stanzas.add(q.element());
        }
        String body = BoshResponses.body(attributes, xml);
        sent.put(h.request.rid(), new Sent(body, stanzas));
        h.request.respond(body);
        startInactivityIfIdle();
    }

    private void respondTerminate(BoshRequest request, String condition) {
        request.respond(BoshResponses.terminate(condition));
    }

    /** XEP-0124 §10: with no request held, the session lives for 'inactivity' (or the granted pause). */
    private void startInactivityIfIdle() {
        if (terminated || !held.isEmpty() || !early.isEmpty()) {
            return;
        }
        cancelInactivity();
        long millis = pauseMillis > 0 ? pauseMillis : inactivityMillis;
        cancelInactivity = schedule(() -> {
            cancelInactivity = null;
            if (!terminated && held.isEmpty() && early.isEmpty()) {
                LOG.debug("BOSH session {} inactive for {} ms", sid, millis);
                endSession(null, true);
            }
        }, millis);
    }

    private void cancelInactivity() {
        if (cancelInactivity != null) {
            cancelInactivity.run();
            cancelInactivity = null;
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
        cancelInactivity();
        List<Queued> output = drainQueue();
        boolean streamError = output.stream().anyMatch(q -> isStreamError(q.element()));
        String reason = condition != null ? condition : streamError ? "remote-stream-error" : null;
        Held first = held.poll();
        if (first != null) {
            first.cancelWait();
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("type", "terminate");
            if (reason != null) {
                attributes.put("condition", reason);
            }
            first.request.respond(BoshResponses.body(attributes, output.stream().map(Queued::xml).toList()));
            output = List.of();
        }
        for (Held h : held) {
            h.cancelWait();
            respondTerminate(h.request, reason);
        }
        held.clear();
        early.values().forEach(r -> respondTerminate(r, reason));
        early.clear();
        processor.disconnected();
        List<Element> undelivered = new ArrayList<>();
        output.forEach(q -> undelivered.add(q.element()));
        if (inactive) {
            sent.values().forEach(s -> undelivered.addAll(s.stanzas()));
        }
        sent.clear();
        if (processor.session().interceptor(ManagedSession.class).isEmpty()) {
            // With stream management on, it counted these as sent and reroutes what the client
            // did not acknowledge when the session ends (XEP-0198 §5): doing it here too would
            // deliver them twice.
            undelivered.forEach(this::routeAgain);
        }
    }

    private static boolean isStreamError(Element element) {
        return "error".equals(element.getName()) && Namespaces.STREAMS.equals(element.getNamespaceURI());
    }

    /**
     * What the client never got is treated as if sent to an unavailable resource (RFC 6121
     * §8.5.2, §8.5.3): chat and normal messages go to the bare JID, where another resource or
     * offline storage (XEP-0160) takes them; IQ requests are answered with
     * {@code service-unavailable}; everything else is dropped.
     */
    private void routeAgain(Element stanza) {
        EntityFullJid jid = processor.session().jid();
        if (jid == null || !Namespaces.CLIENT.equals(stanza.getNamespaceURI())) {
            return;
        }
        String type = stanza.attributeValue("type");
        try {
            String from = stanza.attributeValue("from");
            Jid sender = from == null ? null : Jids.parse(from);
            if ("message".equals(stanza.getName()) && (type == null || "chat".equals(type) || "normal".equals(type))) {
                EntityBareJid bare = jid.asEntityBareJid();
                Element copy = stanza.createCopy();
                copy.addAttribute("to", bare.toString());
                context.router().route(new Stanza(copy, sender, bare));
            } else if ("iq".equals(stanza.getName()) && sender != null && ("get".equals(type) || "set".equals(type))) {
                Element reply = Stanzas.errorReply(stanza, StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE));
                context.router().route(new Stanza(reply, jid, sender));
            }
        } catch (JidMalformedException e) {
            LOG.debug("BOSH session {}: undelivered stanza with a bad sender dropped", sid);
        }
    }

    // --- C2sTransport: the stream's side ---

    @Override
    public void write(Object message) {
        onLoop(() -> enqueue(message));
    }

    @Override
    public void writeAndFlush(Object message) {
        onLoop(() -> {
            enqueue(message);
            if (!terminated) {
                flush();
            }
        });
    }

    @Override
    public void closeAfterFlush() {
        onLoop(() -> endSession(null, false));
    }

    @Override
    public void close() {
        onLoop(() -> endSession(null, false));
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
            String xml = XmppElementEncoder.toXml(element);
            queue.add(new Queued(element, xml));
            queuedBytes += xml.length();
        }
        // StreamClose: the session ends with closeAfterFlush, which follows it.
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    @Override
    public boolean isActive() {
        return !terminated;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    /** A binding would bind the HTTP connection's TLS, which changes between requests: none offered. */
    @Override
    public ChannelBindingSource channelBindings() {
        return ChannelBindingSource.NONE;
    }

    @Override
    public InetAddress remoteAddress() {
        return address;
    }

    @Override
    public Executor executor() {
        return loop;
    }

    @Override
    public boolean inExecutor() {
        return loop.inEventLoop();
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        var future = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    /** Input is bounded by the request window (XEP-0124 §11); the processor queues the rest. */
    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    /** XEP-0206 §5: the client's next {@code xmpp:restart} body starts the new stream. */
    @Override
    public void restartStream() {
    }

    /** Each request body is parsed whole: nothing is ever left unparsed. */
    @Override
    public boolean dropBufferedWhitespace() {
        return true;
    }

    /** Request bodies are bounded as a whole by {@code http.max_request_size}. */
    @Override
    public void setMaxStanzaBytes(int bytes) {
    }

    @Override
    public boolean canStartTls() {
        return false;
    }

    @Override
    public void startTls(SslContext context) {
        throw new UnsupportedOperationException("no STARTTLS over BOSH (XEP-0206 §4)");
    }

    @Override
    public boolean isOutputCongested(long maxPendingBytes) {
        return queuedBytes > Math.min(maxPendingBytes, maxQueuedBytes);
    }

    @Override
    public String toString() {
        return "bosh:" + sid.substring(0, 6) + "…@" + address.getHostAddress();
    }
}
