package im.parley.server.http;

import im.parley.core.sasl.ChannelBindingSource;
import im.parley.server.c2s.C2sTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A client stream over one WebSocket connection (RFC 7395). Restarts need nothing from the
 * transport: the client's next {@code <open/>} is the new header (§3.7). STARTTLS is never
 * offered (§3.9 leaves TLS to {@code wss:}).
 */
final class WebSocketTransport implements C2sTransport {

    private final Channel channel;
    private final XmppFramingDecoder decoder;
    private final boolean considerSecure;

    WebSocketTransport(Channel channel, XmppFramingDecoder decoder, boolean considerSecure) {
        this.channel = channel;
        this.decoder = decoder;
        this.considerSecure = considerSecure;
    }

    @Override
    public void write(Object message) {
        channel.write(message, channel.voidPromise());
    }

    @Override
    public void writeAndFlush(Object message) {
        channel.writeAndFlush(message, channel.voidPromise());
    }

    /** RFC 7395 §3.6: after our {@code <close/>}, the WebSocket closing handshake. */
    @Override
    public void closeAfterFlush() {
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    @Override
    public boolean isSecure() {
        return considerSecure || channel.pipeline().get(SslHandler.class) != null;
    }

    /** A tls-exporter binding would bind the HTTP connection's TLS, not an XMPP one: none offered. */
    @Override
    public ChannelBindingSource channelBindings() {
        return ChannelBindingSource.NONE;
    }

    @Override
    public InetAddress remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }

    @Override
    public Executor executor() {
        return channel.eventLoop();
    }

    @Override
    public boolean inExecutor() {
        return channel.eventLoop().inEventLoop();
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        var future = channel.eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        channel.config().setAutoRead(true);
    }

    @Override
    public void restartStream() {
        // Each message is parsed on its own: the next <open/> starts the new stream.
    }

    /** Each message is parsed whole: nothing is ever left unparsed. */
    @Override
    public boolean dropBufferedWhitespace() {
        return true;
    }

    @Override
    public void setMaxStanzaBytes(int bytes) {
        decoder.setMaxBytes(bytes);
    }

    @Override
    public boolean canStartTls() {
        return false;
    }

    @Override
    public void startTls(SslContext context) {
        throw new UnsupportedOperationException("no STARTTLS over WebSocket (RFC 7395 §3.9)");
    }

    @Override
    public boolean isOutputCongested(long maxPendingBytes) {
        return !channel.isWritable() && channel.bytesBeforeWritable() > maxPendingBytes;
    }

    @Override
    public String toString() {
        return "ws:" + channel.remoteAddress();
    }
}
