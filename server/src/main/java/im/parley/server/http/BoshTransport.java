package im.parley.server.http;

import im.parley.core.sasl.ChannelBindingSource;
import im.parley.server.c2s.C2sStreamProcessor;
import im.parley.server.c2s.C2sTransport;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The stream's side of a {@link BoshSession}: what the shared {@link C2sStreamProcessor}
 * writes goes to the session's output, always on the session's event loop. Much of what a
 * TCP transport does has no meaning over BOSH (XEP-0206): no STARTTLS, no channel binding.
 * Reading pauses by leaving the client's next requests unprocessed ({@link BoshSession#pauseReading}).
 */
final class BoshTransport implements C2sTransport {

    private final BoshSession session;
    private final EventLoop loop;
    private final boolean secure;
    private final InetAddress address;
    private final long maxQueuedBytes;

    BoshTransport(BoshSession session, EventLoop loop, boolean secure, InetAddress address, long maxQueuedBytes) {
        this.session = session;
        this.loop = loop;
        this.secure = secure;
        this.address = address;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public void write(Object message) {
        onLoop(() -> session.output(message, false));
    }

    @Override
    public void writeAndFlush(Object message) {
        onLoop(() -> session.output(message, true));
    }

    @Override
    public void closeAfterFlush() {
        onLoop(session::end);
    }

    @Override
    public void close() {
        onLoop(session::end);
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
        return session.isActive();
    }

    @Override
    public String kind() {
        return "bosh";
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

    /**
     * The requests that come next wait unprocessed until {@link #resumeReading}: back-pressure
     * for the server's bound on stanzas in flight, and no input while a feature step runs.
     * Called on the session's loop when it pauses for a stanza or a step it is processing, so
     * it takes effect before the next request of a batch.
     */
    @Override
    public void pauseReading() {
        onLoop(session::pauseReading);
    }

    /**
     * Always a task of its own on the loop, as reading a TCP connection resumes only after the
     * current task: the stream processor resumes before it handles what it queued during a
     * step, which must go before the next request's payload.
     */
    @Override
    public void resumeReading() {
        loop.execute(session::resumeReading);
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
        return session.queuedBytes() > Math.min(maxPendingBytes, maxQueuedBytes);
    }

    @Override
    public String toString() {
        return "bosh:" + session.sid().substring(0, 6) + "…@" + address.getHostAddress();
    }
}
