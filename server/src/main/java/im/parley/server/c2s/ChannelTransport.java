package im.parley.server.c2s;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * What every transport that runs on one Netty channel shares (TCP, WebSocket): output through
 * the channel, the channel's event loop as the stream's serial executor, read pausing and
 * back-pressure. Subclasses add their framing, TLS and restart rules.
 */
public abstract class ChannelTransport implements C2sTransport {

    private final Channel channel;

    protected ChannelTransport(Channel channel) {
        this.channel = channel;
    }

    protected final Channel channel() {
        return channel;
    }

    @Override
    public final void write(Object message) {
        channel.write(message, channel.voidPromise());
    }

    @Override
    public final void writeAndFlush(Object message) {
        channel.writeAndFlush(message, channel.voidPromise());
    }

    @Override
    public final void close() {
        channel.close();
    }

    @Override
    public final boolean isActive() {
        return channel.isActive();
    }

    @Override
    public final InetAddress remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }

    /** The channel's event loop; it outlives the connection, so hibernation timers keep running. */
    @Override
    public final Executor executor() {
        return channel.eventLoop();
    }

    @Override
    public final boolean inExecutor() {
        return channel.eventLoop().inEventLoop();
    }

    @Override
    public final Runnable schedule(Runnable task, long delayMillis) {
        var future = channel.eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public final void pauseReading() {
        channel.config().setAutoRead(false);
    }

    @Override
    public final void resumeReading() {
        channel.config().setAutoRead(true);
    }

    @Override
    public final boolean isOutputCongested(long maxPendingBytes) {
        return !channel.isWritable() && channel.bytesBeforeWritable() > maxPendingBytes;
    }
}
