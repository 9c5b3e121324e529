package im.parley.server.http;

import im.parley.core.sasl.ChannelBindingSource;
import im.parley.server.c2s.ChannelTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * A client stream over one WebSocket connection (RFC 7395). Restarts need nothing from the
 * transport: the client's next {@code <open/>} is the new header (§3.7). STARTTLS is never
 * offered (§3.9 leaves TLS to {@code wss:}).
 */
final class WebSocketTransport extends ChannelTransport {

    private final XmppFramingDecoder decoder;
    private final boolean considerSecure;

    WebSocketTransport(Channel channel, XmppFramingDecoder decoder, boolean considerSecure) {
        super(channel);
        this.decoder = decoder;
        this.considerSecure = considerSecure;
    }

    /** RFC 7395 §3.6: after our {@code <close/>}, the WebSocket closing handshake. */
    @Override
    public void closeAfterFlush() {
        channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public String kind() {
        return "websocket";
    }

    @Override
    public boolean isSecure() {
        return considerSecure || channel().pipeline().get(SslHandler.class) != null;
    }

    /** A tls-exporter binding would bind the HTTP connection's TLS, not an XMPP one: none offered. */
    @Override
    public ChannelBindingSource channelBindings() {
        return ChannelBindingSource.NONE;
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
    public String toString() {
        return "ws:" + channel().remoteAddress();
    }
}
