package im.parley.server.c2s;

import im.parley.core.sasl.ChannelBindingSource;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamOpen;
import im.parley.server.routing.UndeliveredStanzas;
import im.parley.server.session.LocalSession;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * The state of one client-to-server stream and its output side, whatever the transport (TCP,
 * WebSocket, BOSH). Mutated only on the transport's executor; {@link #deliver} and
 * {@link #close} may be called from any thread.
 *
 * <p>With stream management (XEP-0198 §5) a session outlives its connection: when the connection
 * is lost it may stay bound without one (hibernation) until a new connection takes it over
 * ({@link #attach}) or it {@link #end}s. Stanzas then pass the session's
 * {@link SessionInterceptor}s on their way out.
 */
public final class C2sSession implements LocalSession {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Output queued for a client that does not read before its stream is closed. */
    static final long MAX_PENDING_OUTPUT_BYTES = 4L * 1024 * 1024;

    private volatile C2sTransport transport;
    private final C2sContext context;
    /** Output chain, highest layer first; replaced on change (copy on write). */
    private volatile List<SessionInterceptor> interceptors = List.of();
    private volatile boolean ended;
    /** The earlier session this stream took over by resumption (XEP-0198 §5), or null. */
    private C2sSession resumed;
    private volatile String streamId = newStreamId();
    private DomainBareJid domain;
    private boolean headerSent;
    private EntityBareJid authenticated;
    private volatile EntityFullJid jid;
    private volatile boolean available;
    private volatile int priority;
    private volatile boolean closed;
    /** Deliveries handed to the executor from another thread and not run yet. */
    private final AtomicInteger handedOver = new AtomicInteger();
    /** Stanzas delivered while the stream was closing: routed again once the session ended ({@link #deliver}). */
    private final StanzasHeldWhileClosing heldWhileClosing = new StanzasHeldWhileClosing();
    /** The connection whose reading {@link #holdReading} holds, and how many holds are on it. */
    private final ReadHolds readHolds = new ReadHolds();

    public C2sSession(C2sTransport transport, C2sContext context) {
        this.transport = transport;
        this.context = context;
    }

    public C2sContext context() {
        return context;
    }

    public C2sTransport transport() {
        return transport;
    }

    /** The stream's serial executor (the connection's event loop for TCP). */
    public Executor executor() {
        return transport.executor();
    }

    @Override
    public String id() {
        return streamId;
    }

    /** The hosted domain this stream is for (from the stream header), or null before it. */
    public DomainBareJid domain() {
        return domain;
    }

    /** True once TLS protects the stream (STARTTLS done, direct TLS, HTTPS/WSS). */
    public boolean isSecure() {
        return transport.isSecure();
    }

    /** Channel binding data of the TLS layer, for SCRAM-*-PLUS (RFC 5056). */
    public ChannelBindingSource channelBindings() {
        return transport.channelBindings();
    }

    public InetAddress remoteAddress() {
        return transport.remoteAddress();
    }

    public boolean isAuthenticated() {
        return authenticated != null;
    }

    /** The account that authenticated with SASL, or null. */
    public EntityBareJid authenticatedAccount() {
        return authenticated;
    }

    public void authenticated(EntityBareJid account) {
        this.authenticated = account;
    }

    public boolean isBound() {
        return jid != null;
    }

    public void bound(EntityFullJid fullJid) {
        this.jid = fullJid;
    }

    @Override
    public EntityFullJid jid() {
        return jid;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    @Override
    public void updatePresence(boolean isAvailable, int newPriority) {
        this.available = isAvailable;
        this.priority = newPriority;
    }

    /** Answers a stream header: our header, a fresh stream id for each stream (RFC 6120 §4.7.3). */
    void openStream(DomainBareJid streamDomain) {
        this.domain = streamDomain;
        this.streamId = newStreamId();
        transport.write(header());
        headerSent = true;
    }

    /** Prepares a stream restart (RFC 6120 §4.3.3); call before the reply that triggers it. */
    public void restartStream() {
        transport.restartStream();
        headerSent = false;
    }

    /** Drops pending input if it is only whitespace; false if anything else is pending. */
    public boolean dropBufferedWhitespace() {
        return transport.dropBufferedWhitespace();
    }

    /** Raises the stanza size limit once the client has authenticated. */
    public void setMaxStanzaBytes(int bytes) {
        transport.setMaxStanzaBytes(bytes);
    }

    /** Writes a negotiation element and flushes. */
    public void send(Element element) {
        transport.writeAndFlush(element);
    }

    /**
     * Delivers a stanza routed to this session, in the order deliveries are made (RFC 6120 §10.1).
     * One that comes while the stream is closing (a stream error or {@code </stream:stream>} is
     * out, the connection not gone yet) can no longer be written: it is held and routed again
     * once the session ended and was unbound, after what stream management held (XEP-0198 §5),
     * as to an unavailable resource (RFC 6121 §8.5.3.2.1: another resource, or offline storage).
     * One that comes after the end (a router that found the session just before it was unbound)
     * is routed again at once. Neither is dropped: its sender may already count it as handled.
     */
    @Override
    public void deliver(Element stanza) {
        C2sTransport current = transport;
        if (ended) {
            rerouteAfterEnd(List.of(stanza));
            return;
        }
        if (current.inExecutor() && handedOver.get() == 0) {
            deliverOnExecutor(stanza);
            return;
        }
        // Interceptors count and queue what goes out: they run where the transport writes, so
        // that their order is the order on the wire (XEP-0198 §4 counts by position). A stanza
        // delivered on that executor while others handed over from elsewhere still wait there
        // queues behind them: deliveries keep the order in which they were made (RFC 6120 §10.1).
        handedOver.incrementAndGet();
        current.executor().execute(() -> {
            handedOver.decrementAndGet();
            if (ended || transport.inExecutor()) {
                deliverOnExecutor(stanza);
            } else {
                deliver(stanza);  // the session moved to another connection meanwhile (XEP-0198 §5)
            }
        });
    }

    private void deliverOnExecutor(Element stanza) {
        if (!closed) {
            deliverHere(stanza);
        } else if (!heldWhileClosing.hold(stanza, this)) {
            rerouteAfterEnd(List.of(stanza));
        }
    }

    /** Routes again what this ended session cannot take ({@link UndeliveredStanzas}). */
    private void rerouteAfterEnd(List<Element> stanzas) {
        EntityFullJid bound = jid;
        if (bound != null && !stanzas.isEmpty()) {
            UndeliveredStanzas.reroute(stanzas, bound.asEntityBareJid(), context.router());
        }
    }

    /**
     * Runs after the deliveries handed to the executor before it: they were written to the
     * connection, held by stream management, or held to be routed again when the session ends
     * ({@link #deliver}); false only if the executor is gone.
     */
    @Override
    public CompletionStage<Boolean> written() {
        CompletableFuture<Boolean> written = new CompletableFuture<>();
        try {
            transport.executor().execute(() -> written.complete(true));
        } catch (RejectedExecutionException e) {
            written.complete(false);
        }
        return written;
    }

    private void deliverHere(Element stanza) {
        List<SessionInterceptor> chain = interceptors;
        if (chain.isEmpty()) {
            write(stanza);
        } else {
            chain.get(0).outbound(stanza, this);
        }
    }

    /** Passes a stanza to the interceptor below {@code from}, or to the transport. Session executor only. */
    public void deliverBelow(SessionInterceptor from, Element stanza) {
        List<SessionInterceptor> chain = interceptors;
        int below = chain.indexOf(from) + 1;
        if (below > 0 && below < chain.size()) {
            chain.get(below).outbound(stanza, this);
        } else {
            write(stanza);
        }
    }

    /** Writes a stanza to the current connection, unless the client does not read. */
    private void write(Element stanza) {
        if (closed) {
            return;
        }
        if (transport.isOutputCongested(MAX_PENDING_OUTPUT_BYTES)) {
            // A peer that stops reading must not make the server buffer without bound.
            close(StreamError.of(StreamErrorCondition.RESOURCE_CONSTRAINT, "the client does not read its stream"));
            return;
        }
        transport.writeAndFlush(stanza);
        context.metrics().stanzas().sent(stanza);
    }

    @Override
    public void close(StreamError error) {
        close(error, null);
    }

    /**
     * Sends a stream error with an application-specific condition (RFC 6120 §4.9.4), e.g.
     * XEP-0198 §6 {@code <handled-count-too-high/>}, and closes. The session ends.
     */
    public void close(StreamError error, Element applicationCondition) {
        Element element = error.toElement();
        if (applicationCondition != null) {
            element.add(applicationCondition);
        }
        if (transport.inExecutor()) {
            closeNow(element);
        } else {
            transport.executor().execute(() -> closeNow(element));
        }
    }

    /** Installs an interceptor in the output chain, by layer (highest first). */
    public void addInterceptor(SessionInterceptor interceptor) {
        List<SessionInterceptor> chain = new ArrayList<>(interceptors);
        chain.add(interceptor);
        chain.sort(Comparator.comparingInt(SessionInterceptor::layer).reversed());
        interceptors = List.copyOf(chain);
    }

    /** The installed interceptor of this type, if any. */
    public <T extends SessionInterceptor> Optional<T> interceptor(Class<T> type) {
        for (SessionInterceptor interceptor : interceptors) {
            if (type.isInstance(interceptor)) {
                return Optional.of(type.cast(interceptor));
            }
        }
        return Optional.empty();
    }

    /**
     * Tells the interceptors that the client's stanza was routed; {@code handling} completes
     * when its effect is durable (XEP-0198 §4 counts it then).
     */
    void inboundReceived(Element stanza, CompletionStage<Void> handling) {
        for (SessionInterceptor interceptor : interceptors) {
            interceptor.inboundReceived(stanza, handling, this);
        }
    }

    /**
     * The connection {@code lost} is gone. Ends the session, unless it already moved to another
     * connection or an interceptor keeps it alive without one (XEP-0198 §5). A stream closed by
     * either side ({@code </stream:stream>}, a stream error) always ends it.
     */
    void connectionLost(C2sTransport lost) {
        if (lost != transport || ended) {
            return;
        }
        if (!closed && isBound()) {
            for (SessionInterceptor interceptor : interceptors) {
                if (interceptor.survivesConnectionLoss(this)) {
                    return;
                }
            }
        }
        end();
    }

    /**
     * Ends the session: unbinds it (the modules see {@code SessionEvents.CLOSED}) and tells the
     * interceptors, in that order, so that what they hand back to the router no longer finds it.
     */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        closed = true;
        List<Element> held = heldWhileClosing.release();
        if (isBound()) {
            context.sessions().unbind(this);
        }
        for (SessionInterceptor interceptor : interceptors) {
            interceptor.ended(this);
        }
        rerouteAfterEnd(held);
    }

    /**
     * Stops reading this connection until {@code until} completes: back-pressure when the
     * server's stanzas in flight are past its bound ({@link IntakeLimit}). Holds on one connection
     * add up, and reading resumes when the last ends; a connection that replaced it (XEP-0198 §5
     * resumption) starts with none. Any thread.
     */
    public void holdReading(CompletionStage<?> until) {
        C2sTransport held = transport;
        readHolds.take(held);
        until.whenComplete((ignored, failure) -> readHolds.release(held));
    }

    /** True once the session ended (see {@link #end()}). */
    public boolean isEnded() {
        return ended;
    }

    /** True while the session has a live connection (false while hibernated, XEP-0198 §5). */
    public boolean isConnected() {
        return !closed && transport.isActive();
    }

    /**
     * Moves this session onto the connection of {@code successor}, a fresh stream that resumed it
     * (XEP-0198 §5). An old connection still open is closed without a stream error; its loss is
     * then ignored. Call on this session's executor; the stream processor of the new connection
     * continues with this session ({@link #resumedSession()} of the successor).
     */
    public void attach(C2sSession successor) {
        C2sTransport previous = transport;
        transport = successor.transport;
        domain = successor.domain;
        headerSent = successor.headerSent;
        streamId = successor.streamId;
        closed = false;
        successor.resumed = this;
        if (previous != successor.transport && previous.isActive()) {
            previous.close();
        }
    }

    /** The earlier session this stream resumed (XEP-0198 §5), or null. */
    public C2sSession resumedSession() {
        return resumed;
    }

    /**
     * Answers the client's {@code </stream:stream>} with the server's (RFC 6120 §4.4) and ends the
     * session now: the client, which closed first, ends the connection once it reads the answer,
     * and a client that waits for the server to do it must not keep its resource bound meanwhile.
     */
    void closeStream() {
        if (closed) {
            return;
        }
        closed = true;
        transport.write(StreamClose.INSTANCE);
        transport.closeAfterPeerClosed();
        end();
    }

    private void closeNow(Element error) {
        if (closed) {
            return;
        }
        closed = true;
        if (!transport.isActive()) {
            // Hibernated (XEP-0198 §5): there is no connection to tell, and none will be lost.
            end();
            return;
        }
        if (!headerSent) {
            // RFC 6120 §4.9.1.1: open the stream first, even if the error is about its header.
            transport.write(header());
            headerSent = true;
        }
        transport.write(error);
        transport.write(StreamClose.INSTANCE);
        transport.closeAfterFlush();
    }

    private StreamOpen header() {
        return new StreamOpen(null, domain == null ? null : domain.toString(), streamId, "1.0", "en", Namespaces.CLIENT);
    }

    public boolean isClosed() {
        return closed || !transport.isActive();
    }

    private static String newStreamId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "c2s[" + (jid != null ? jid : authenticated != null ? authenticated : transport) + "]";
    }
}
