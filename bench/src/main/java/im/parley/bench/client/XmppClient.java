package im.parley.bench.client;

import im.parley.core.stream.Namespaces;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslContext;
import org.dom4j.Element;

/**
 * One simulated XMPP client: a Netty handler that logs in through {@link LoginNegotiation}
 * (RFC 6120 §4.3), then hands what the server sends to {@link IncomingStanzas}. It owns the
 * client's {@link ClientState}, so every element is routed from one place.
 *
 * <p>Stanzas go out as prebuilt text: serialising dom4j would cost the generator more than the
 * server spends routing. Everything received is parsed with Parley's own stream decoder, one
 * element at a time, so that stanzas coalesced into one read are all seen and counted.
 */
public final class XmppClient extends SimpleChannelInboundHandler<Object> {

    private final int user;
    private final ClientOptions options;
    private final ClientEvents events;
    /** XEP-0198 state, or null for a client without stream management. */
    private final StreamManagement sm;
    /** Null once logged in: thousands of idle clients should not keep their SASL state. */
    private LoginNegotiation login;
    private volatile Channel channel;
    private volatile ClientState state = ClientState.CONNECTING;
    private volatile String boundJid;
    private volatile boolean wasReady;

    XmppClient(int user, ClientOptions options, SslContext tls, ClientEvents events, StreamManagement sm,
               long startNanos) {
        this.user = user;
        this.options = options;
        this.events = events;
        this.sm = sm;
        this.login = new LoginNegotiation(this, tls, startNanos);
    }

    /** The user number: this client is {@code <prefix><user>@<domain>}. */
    public int user() {
        return user;
    }

    public ClientOptions options() {
        return options;
    }

    /** The client's stream management state (XEP-0198), or null if it does not use it. */
    public StreamManagement sm() {
        return sm;
    }

    /** The full JID the server bound, or null before binding. */
    public String boundJid() {
        return boundJid;
    }

    public boolean isReady() {
        return state == ClientState.READY;
    }

    /** True once the login completed, even if the session has ended since. */
    public boolean wasReady() {
        return wasReady;
    }

    /** Sends prebuilt stanza text; thread-safe (Netty queues writes from other threads). */
    public void send(String xml) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(ByteBufUtil.writeUtf8(ch.alloc(), xml), ch.voidPromise());
        }
    }

    /**
     * Sends a chat message whose id carries the sender and the send time, so the receiver can
     * count it and compute the end-to-end latency ({@code System.nanoTime()} of this process).
     */
    public void sendChat(String toBareJid, String body) {
        send("<message type='chat' to='" + toBareJid + "' id='" + user + "-" + System.nanoTime() + "'><body>"
                + body + "</body></message>");
    }

    /** Ends the stream politely (RFC 6120 §4.4) and closes the connection. */
    public void close() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ch.eventLoop().execute(() -> {
            if (state == ClientState.DONE || state == ClientState.CLOSING) {
                return;
            }
            state = ClientState.CLOSING;
            if (ch.isActive()) {
                ch.writeAndFlush(ByteBufUtil.writeAscii(ch.alloc(), "</stream:stream>"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    /**
     * Closes the connection without ending the stream, as a lost network connection does: the
     * server keeps a session with stream management for resumption (XEP-0198 §5).
     */
    public void drop() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ch.eventLoop().execute(() -> {
            if (state != ClientState.DONE && state != ClientState.CLOSING) {
                state = ClientState.CLOSING;
                ch.close();
            }
        });
    }

    /** The TCP connection could not be made. */
    void connectFailed(Throwable cause) {
        fail("connect failed: " + cause);
    }

    ClientEvents events() {
        return events;
    }

    /** The single transition point of the login steps (see {@link LoginNegotiation}). */
    void enter(ClientState next) {
        state = next;
    }

    void bound(String fullJid) {
        boundJid = fullJid;
    }

    void loginCompleted() {
        state = ClientState.READY;
        wasReady = true;
        login = null;
    }

    /** Reports the first failure only; a client closing or closed has nothing more to report. */
    void fail(String reason) {
        if (state != ClientState.DONE && state != ClientState.CLOSING) {
            state = ClientState.DONE;
            events.failed(this, reason);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        state = ClientState.STREAM;
        login.openStream(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != ClientState.CLOSING && state != ClientState.DONE) {
            fail("connection closed by the server in state " + state);
        }
        state = ClientState.DONE;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof StreamOpen) {
            return;
        }
        if (msg instanceof StreamFault fault) {
            fail("unparsable stream from the server: " + fault.error());
            ctx.close();
            return;
        }
        if (msg == StreamClose.INSTANCE) {
            if (state != ClientState.CLOSING) {
                fail("server closed the stream in state " + state);
            }
            ctx.close();
            return;
        }
        Element element = (Element) msg;
        if ("error".equals(element.getName()) && Namespaces.STREAMS.equals(element.getNamespaceURI())) {
            fail("stream error " + ErrorCondition.nameOf(element) + " in state " + state);
            ctx.close();
            return;
        }
        if (sm != null) {
            if (StreamManagement.NS.equals(element.getNamespaceURI())) {
                onStreamManagement(ctx, element);
                return;
            }
            sm.received(element);
        }
        ClientState now = state;
        switch (now) {
            case STREAM -> login.onFeatures(ctx, element);
            case STARTTLS -> login.onStartTlsAnswer(ctx, element);
            case SASL -> login.onSasl(ctx, element);
            case BIND, SESSION, ROSTER -> login.onLoginIq(ctx, element, now);
            case READY -> IncomingStanzas.onStanza(this, element);
            default -> { }
        }
    }

    private void onStreamManagement(ChannelHandlerContext ctx, Element element) {
        String failure = sm.onElement(this, element);
        if (failure != null) {
            fail((state == ClientState.RESUME ? "resumption" : "stream management") + " failed: " + failure);
            ctx.close();
        } else if ("resumed".equals(element.getName()) && state == ClientState.RESUME) {
            loginCompleted();
            events.ready(this);
        }
    }
}
