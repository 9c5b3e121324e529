package im.parley.server.c2s;

import im.parley.core.sasl.ChannelBindingSource;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.util.concurrent.Executor;

/**
 * What a client stream needs from the connection it runs over: TCP (STARTTLS or direct TLS),
 * WebSocket (RFC 7395) or BOSH (XEP-0206) — framings of the same session (DESIGN.md). Output
 * objects are {@link im.parley.core.xml.StreamOpen}, dom4j elements and
 * {@link im.parley.core.xml.StreamClose}; each transport frames them its own way.
 */
public interface C2sTransport {

    /** Queues an object for output. Callable from any thread. */
    void write(Object message);

    /** Queues an object and flushes everything queued. Callable from any thread. */
    void writeAndFlush(Object message);

    /** Flushes pending output, then closes the connection (or the transport session). */
    void closeAfterFlush();

    /**
     * Flushes pending output, the answer to the client's own closing tag, and leaves the
     * connection for the client to end (RFC 6120 §4.4: the entity that closed its stream first
     * terminates the connection once it has the other's closing tag). By default the same as
     * {@link #closeAfterFlush()}.
     */
    default void closeAfterPeerClosed() {
        closeAfterFlush();
    }

    /** Closes at once. */
    void close();

    /** False once the connection is gone. */
    boolean isActive();

    /** True if the stream is protected by TLS (STARTTLS done, direct TLS, HTTPS/WSS). */
    boolean isSecure();

    /** Channel binding data for SCRAM-*-PLUS, or {@link ChannelBindingSource#NONE}. */
    ChannelBindingSource channelBindings();

    /** The client's address, for per-address limits. */
    InetAddress remoteAddress();

    /** The serial executor of this stream: every input and state change happens on it. */
    Executor executor();

    /** True if the executor is the calling thread. */
    boolean inExecutor();

    /** Schedules a task on the stream's executor; returns a handle to cancel it. */
    Runnable schedule(Runnable task, long delayMillis);

    /** Stops delivering input until {@link #resumeReading()} (while a feature step runs). */
    void pauseReading();

    void resumeReading();

    /** A stream restart (RFC 6120 §4.3.3): the next input starts a new stream. */
    void restartStream();

    /**
     * Drops input received but not yet parsed if it is only whitespace, and tells whether
     * that was so. Before a STARTTLS upgrade nothing else may be pending (CVE-2011-0411).
     */
    boolean dropBufferedWhitespace();

    /** Changes the largest accepted stanza (raised after authentication). */
    void setMaxStanzaBytes(int bytes);

    /** True if STARTTLS can be negotiated on this transport (plain TCP only). */
    boolean canStartTls();

    /**
     * Puts TLS under the stream: the next write (the {@code <proceed/>}) still leaves in clear,
     * everything after it is encrypted (RFC 6120 §5.4.3.3).
     */
    void startTls(SslContext context);

    /** True if output is piling up because the peer does not read. */
    boolean isOutputCongested(long maxPendingBytes);

    /** The transport's name in metrics: {@code tcp}, {@code websocket} or {@code bosh}. */
    default String kind() {
        return "tcp";
    }
}
