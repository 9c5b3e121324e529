package im.parley.s2s;

import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamOpen;
import im.parley.s2s.dialback.Dialback;
import im.parley.core.xml.XmppStreamDecoder;
import im.parley.s2s.stream.StreamIds;
import im.parley.s2s.tls.PeerCertificateVerifier;
import im.parley.s2s.tls.S2sTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;

/**
 * The state of one inbound server-to-server stream: the hosted domain its header named, the
 * domain the peer claimed, TLS, and the domain pairs authenticated on it (by SASL EXTERNAL or,
 * one {@code db:result} per pair, by dialback: XEP-0220 §2.5 multiplexing). Mutated on the
 * channel's event loop; {@link #send} and {@link #close} may be called from any thread.
 */
final class InboundSession {

    private final Channel channel;
    private final S2sRouter router;
    private final Set<DomainPair> authenticated = ConcurrentHashMap.newKeySet();
    private volatile String streamId = StreamIds.next();
    private DomainBareJid localDomain;
    private String claimedFrom;
    private boolean headerSent;
    private boolean saslDone;
    private volatile boolean closed;

    InboundSession(Channel channel, S2sRouter router) {
        this.channel = channel;
        this.router = router;
    }

    S2sRouter router() {
        return router;
    }

    S2sSettings settings() {
        return router.settings();
    }

    Channel channel() {
        return channel;
    }

    String streamId() {
        return streamId;
    }

    /** The hosted domain the stream header's {@code to} named. */
    DomainBareJid localDomain() {
        return localDomain;
    }

    /** The {@code from} of the peer's stream header, or null. */
    String claimedFrom() {
        return claimedFrom;
    }

    boolean isSecure() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl != null && ssl.handshakeFuture().isSuccess();
    }

    /** The peer's certificate checked for {@code domain} (RFC 6125); {@code NONE} without TLS. */
    PeerCertificateVerifier.Result certificateFor(String domain) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
            return PeerCertificateVerifier.Result.NONE;
        }
        return settings().certificates().verify(S2sTls.peerChain(ssl), domain);
    }

    /** True once SASL EXTERNAL succeeded on this stream (it can be done once, RFC 6120 §6.4.6). */
    boolean isSaslDone() {
        return saslDone;
    }

    void saslDone() {
        this.saslDone = true;
    }

    void authenticated(DomainPair pair) {
        authenticated.add(pair);
    }

    boolean isAuthenticated(DomainPair pair) {
        return authenticated.contains(pair);
    }

    /** True if the remote domain is authenticated on this stream for at least one local domain. */
    boolean hasAuthenticatedRemote(DomainBareJid remote) {
        for (DomainPair pair : authenticated) {
            if (pair.remote().equals(remote)) {
                return true;
            }
        }
        return false;
    }

    boolean hasAnyAuthenticated() {
        return !authenticated.isEmpty();
    }

    /** Answers a stream header with ours and a fresh stream id (RFC 6120 §4.7.3). */
    void openStream(DomainBareJid local, String peerFrom) {
        this.localDomain = local;
        this.claimedFrom = peerFrom;
        this.streamId = StreamIds.next();
        channel.write(Dialback.declaredOn(new StreamOpen(peerFrom, local.toString(), streamId, "1.0", null,
                Namespaces.SERVER)));
        headerSent = true;
    }

    /** Resets the decoder for a stream restart; call before the element that triggers it. */
    void restartStream() {
        channel.pipeline().get(XmppStreamDecoder.class).reset();
        headerSent = false;
    }

    /** Drops pending input if it is only whitespace; false if anything else is pending. */
    boolean dropBufferedWhitespace() {
        return channel.pipeline().get(XmppStreamDecoder.class).dropBufferedWhitespace();
    }

    void raiseStanzaLimit() {
        channel.pipeline().get(XmppStreamDecoder.class).setMaxStanzaBytes(settings().maxStanzaBytes());
    }

    void send(Element element) {
        if (!closed) {
            channel.writeAndFlush(element);
        }
    }

    void close(StreamError error) {
        if (channel.eventLoop().inEventLoop()) {
            closeNow(error);
        } else {
            channel.eventLoop().execute(() -> closeNow(error));
        }
    }

    /** Answers the peer's {@code </stream:stream>} (RFC 6120 §4.4). */
    void closeStream() {
        if (!closed) {
            closed = true;
            channel.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void closeNow(StreamError error) {
        if (closed) {
            return;
        }
        closed = true;
        if (!headerSent) {
            // RFC 6120 §4.9.1.1: open the stream first, even if the error is about its header.
            channel.write(new StreamOpen(claimedFrom, localDomain == null ? null : localDomain.toString(), streamId,
                    "1.0", null, Namespaces.SERVER));
            headerSent = true;
        }
        channel.write(error.toElement());
        channel.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
    }

    boolean isClosed() {
        return closed || !channel.isActive();
    }

    @Override
    public String toString() {
        return "s2s-in[" + (claimedFrom == null ? channel.remoteAddress() : claimedFrom) + "→" + localDomain + "]";
    }
}
