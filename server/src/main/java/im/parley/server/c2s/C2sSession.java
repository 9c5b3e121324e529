package im.parley.server.c2s;

import im.parley.core.sasl.ChannelBindingSource;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamOpen;
import im.parley.server.session.LocalSession;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Executor;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * The state of one client-to-server stream and its output side, whatever the transport (TCP,
 * WebSocket, BOSH). Mutated only on the transport's executor; {@link #deliver} and
 * {@link #close} may be called from any thread.
 */
public final class C2sSession implements LocalSession {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Output queued for a client that does not read before its stream is closed. */
    static final long MAX_PENDING_OUTPUT_BYTES = 4L * 1024 * 1024;

    private final C2sTransport transport;
    private final C2sContext context;
    private volatile String streamId = newStreamId();
    private DomainBareJid domain;
    private boolean headerSent;
    private EntityBareJid authenticated;
    private volatile EntityFullJid jid;
    private volatile boolean available;
    private volatile int priority;
    private volatile boolean closed;

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

    /** Bytes the transport holds that it has not parsed yet. */
    public int bufferedInputBytes() {
        return transport.bufferedInputBytes();
    }

    /** Raises the stanza size limit once the client has authenticated. */
    public void setMaxStanzaBytes(int bytes) {
        transport.setMaxStanzaBytes(bytes);
    }

    /** Writes a negotiation element and flushes. */
    public void send(Element element) {
        transport.writeAndFlush(element);
    }

    @Override
    public void deliver(Element stanza) {
        if (closed) {
            return;
        }
        if (transport.isOutputCongested(MAX_PENDING_OUTPUT_BYTES)) {
            // A peer that stops reading must not make the server buffer without bound.
            close(StreamError.of(StreamErrorCondition.RESOURCE_CONSTRAINT, "the client does not read its stream"));
            return;
        }
        transport.writeAndFlush(stanza);
    }

    @Override
    public void close(StreamError error) {
        if (transport.inExecutor()) {
            closeNow(error);
        } else {
            transport.executor().execute(() -> closeNow(error));
        }
    }

    /** Ends the stream politely: {@code </stream:stream>} and close (RFC 6120 §4.4). */
    void closeStream() {
        if (closed) {
            return;
        }
        closed = true;
        transport.write(StreamClose.INSTANCE);
        transport.closeAfterFlush();
    }

    private void closeNow(StreamError error) {
        if (closed) {
            return;
        }
        closed = true;
        if (!headerSent) {
            // RFC 6120 §4.9.1.1: open the stream first, even if the error is about its header.
            transport.write(header());
            headerSent = true;
        }
        transport.write(error.toElement());
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
