package im.parley.server.c2s;

import im.parley.core.sasl.ChannelBindingSource;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.dom4j.Element;

/**
 * A connection for a {@link C2sSession} under test: its executor runs tasks only when the test
 * says so (or at once, on the executor, while {@link #onLoop}), what is written is kept, and
 * closing does nothing until the test reports the connection lost.
 */
final class ManualC2sTransport implements C2sTransport {
    /** False while reading is paused. */
    boolean reading = true;
    boolean onLoop;
    final Queue<Runnable> pending = new ArrayDeque<>();
    final List<Object> written = new ArrayList<>();

    void runPending() {
        while (!pending.isEmpty()) {
            pending.poll().run();
        }
    }

    List<String> bodies() {
        return written.stream().map(o -> ((Element) o).elementText("body")).toList();
    }

    @Override public void write(Object message) { written.add(message); }
    @Override public void writeAndFlush(Object message) { written.add(message); }
    @Override public void closeAfterFlush() { }
    @Override public void close() { }
    @Override public boolean isActive() { return true; }
    @Override public boolean isSecure() { return true; }
    @Override public ChannelBindingSource channelBindings() { return null; }
    @Override public InetAddress remoteAddress() { return InetAddress.getLoopbackAddress(); }
    @Override public Executor executor() { return pending::add; }
    @Override public boolean inExecutor() { return onLoop; }
    @Override public Runnable schedule(Runnable task, long delayMillis) { return () -> { }; }
    @Override public void pauseReading() { reading = false; }
    @Override public void resumeReading() { reading = true; }
    @Override public void restartStream() { }
    @Override public boolean dropBufferedWhitespace() { return true; }
    @Override public void setMaxStanzaBytes(int bytes) { }
    @Override public boolean canStartTls() { return false; }
    @Override public void startTls(SslContext context) { }
    @Override public boolean isOutputCongested(long maxPendingBytes) { return false; }
}
