package im.parley.server.c2s;

import im.parley.core.sasl.ChannelBindingSource;
import im.parley.core.tls.TlsChannelBindings;
import im.parley.core.xml.XmppStreamDecoder;
import im.parley.server.net.GracefulClose;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/** A client stream over one TCP connection: the Netty channel and its XML codec. */
public final class TcpTransport extends ChannelTransport {

    public TcpTransport(Channel channel) {
        super(channel);
    }

    /** Lets the client read the end of the stream before the connection goes ({@link GracefulClose}). */
    @Override
    public void closeAfterFlush() {
        GracefulClose.closeAfterFlush(channel());
    }

    /** The client ends the connection; it is closed for it only after a while ({@link GracefulClose}). */
    @Override
    public void closeAfterPeerClosed() {
        GracefulClose.closeAfterPeerClosed(channel());
    }

    @Override
    public boolean isSecure() {
        SslHandler ssl = channel().pipeline().get(SslHandler.class);
        return ssl != null && ssl.handshakeFuture().isSuccess();
    }

    @Override
    public ChannelBindingSource channelBindings() {
        SslHandler ssl = channel().pipeline().get(SslHandler.class);
        return ssl == null || !ssl.handshakeFuture().isSuccess() ? ChannelBindingSource.NONE : new TlsChannelBindings(ssl);
    }

    @Override
    public void restartStream() {
        XmppStreamDecoder decoder = channel().pipeline().get(XmppStreamDecoder.class);
        if (decoder != null) {
            decoder.reset();
        }
    }

    @Override
    public boolean dropBufferedWhitespace() {
        XmppStreamDecoder decoder = channel().pipeline().get(XmppStreamDecoder.class);
        return decoder == null || decoder.dropBufferedWhitespace();
    }

    @Override
    public void setMaxStanzaBytes(int bytes) {
        XmppStreamDecoder decoder = channel().pipeline().get(XmppStreamDecoder.class);
        if (decoder != null) {
            decoder.setMaxStanzaBytes(bytes);
        }
    }

    /**
     * Releases the XML parser if the stream is idle between stanzas (see
     * {@link XmppStreamDecoder#releaseParserIfIdle()}); the next bytes rebuild it. On the
     * channel's event loop only.
     */
    public boolean releaseParserIfIdle() {
        XmppStreamDecoder decoder = channel().pipeline().get(XmppStreamDecoder.class);
        return decoder != null && decoder.releaseParserIfIdle();
    }

    @Override
    public boolean canStartTls() {
        return channel().pipeline().get(SslHandler.class) == null;
    }

    @Override
    public void startTls(SslContext context) {
        // startTls=true: the first write after the handler is added (<proceed/>) leaves unencrypted.
        channel().pipeline().addFirst("tls", new SslHandler(context.newEngine(channel().alloc()), true));
    }

    @Override
    public String toString() {
        return String.valueOf(channel().remoteAddress());
    }
}
