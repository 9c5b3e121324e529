package im.parley.bench.client;

import im.parley.core.stream.Namespaces;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmppStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dom4j.Element;

/**
 * One simulated XMPP client: a Netty handler that walks the client side of stream negotiation
 * (RFC 6120 §4.3: optional STARTTLS §5, SASL §6, stream restart, resource binding §7), then
 * optionally fetches the roster and sends initial presence (RFC 6121 §2.1.3, §4.2).
 *
 * <p>Stanzas go out as prebuilt text: serialising dom4j would cost the generator more than the
 * server spends routing. Everything received is parsed with Parley's own stream decoder, one
 * element at a time, so that stanzas coalesced into one read are all seen and counted.
 */
public final class XmppClient extends SimpleChannelInboundHandler<Object> {

    private enum State { CONNECTING, STREAM, STARTTLS, SASL, BIND, SESSION, ROSTER, READY, CLOSING, DONE }

    private static final String STREAM_HEADER = "<?xml version='1.0'?><stream:stream to='%s' version='1.0'"
            + " xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    private static final String ROSTER_NS = "jabber:iq:roster";

    private final int user;
    private final ClientOptions options;
    private final SslContext tls;
    private final ClientEvents events;
    private final long startNanos;
    private volatile Channel channel;
    private volatile State state = State.CONNECTING;
    private boolean secured;
    private boolean authenticated;
    private boolean sessionRequired;
    private ScramSha1Client scram;
    private volatile String boundJid;
    private volatile boolean wasReady;

    XmppClient(int user, ClientOptions options, SslContext tls, ClientEvents events, long startNanos) {
        this.user = user;
        this.options = options;
        this.tls = tls;
        this.events = events;
        this.startNanos = startNanos;
    }

    /** The user number: this client is {@code <prefix><user>@<domain>}. */
    public int user() {
        return user;
    }

    public ClientOptions options() {
        return options;
    }

    /** The full JID the server bound, or null before binding. */
    public String boundJid() {
        return boundJid;
    }

    public boolean isReady() {
        return state == State.READY;
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
            if (state == State.DONE || state == State.CLOSING) {
                return;
            }
            state = State.CLOSING;
            if (ch.isActive()) {
                ch.writeAndFlush(ByteBufUtil.writeAscii(ch.alloc(), "</stream:stream>"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    /** The TCP connection could not be made. */
    void connectFailed(Throwable cause) {
        fail("connect failed: " + cause);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        state = State.STREAM;
        openStream(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.CLOSING && state != State.DONE) {
            fail("connection closed by the server in state " + state);
        }
        state = State.DONE;
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
            if (state != State.CLOSING) {
                fail("server closed the stream in state " + state);
            }
            ctx.close();
            return;
        }
        Element element = (Element) msg;
        if ("error".equals(element.getName()) && Namespaces.STREAMS.equals(element.getNamespaceURI())) {
            fail("stream error " + firstChildName(element) + " in state " + state);
            ctx.close();
            return;
        }
        switch (state) {
            case STREAM -> onFeatures(ctx, element);
            case STARTTLS -> onStartTlsAnswer(ctx, element);
            case SASL -> onSasl(ctx, element);
            case BIND, SESSION, ROSTER -> onLoginIq(ctx, element);
            case READY -> onStanza(element);
            default -> { }
        }
    }

    private void openStream(ChannelHandlerContext ctx) {
        write(ctx, String.format(STREAM_HEADER, options.domain()));
    }

    private void onFeatures(ChannelHandlerContext ctx, Element features) {
        if (!"features".equals(features.getName())) {
            fail("expected stream features, got " + features.getName());
            ctx.close();
            return;
        }
        if (!authenticated) {
            if (options.startTls() && !secured) {
                if (features.element("starttls") == null) {
                    failAndClose(ctx, "server offers no STARTTLS");
                    return;
                }
                state = State.STARTTLS;
                write(ctx, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
                return;
            }
            startSasl(ctx, features);
            return;
        }
        Element session = features.element("session");
        sessionRequired = session != null && session.element("optional") == null;
        state = State.BIND;
        write(ctx, "<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>bench</resource></bind></iq>");
    }

    /** RFC 6120 §5.4.2.3: on {@code <proceed/>} TLS starts and the stream restarts over it. */
    private void onStartTlsAnswer(ChannelHandlerContext ctx, Element answer) {
        if (!"proceed".equals(answer.getName())) {
            failAndClose(ctx, "STARTTLS refused: " + answer.getName());
            return;
        }
        SslHandler ssl = tls.newHandler(ctx.alloc(), options.server().getHostString(), options.server().getPort());
        ctx.pipeline().addFirst("tls", ssl);
        decoder(ctx).reset();
        secured = true;
        state = State.STREAM;
        ssl.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                openStream(ctx);
            } else {
                failAndClose(ctx, "TLS handshake failed: " + done.cause());
            }
        });
    }

    private void startSasl(ChannelHandlerContext ctx, Element features) {
        Element mechanisms = features.element("mechanisms");
        String wanted = options.mechanism().wireName();
        boolean offered = mechanisms != null && mechanisms.elements("mechanism").stream()
                .anyMatch(m -> wanted.equals(m.getTextTrim()));
        if (!offered) {
            failAndClose(ctx, "server does not offer SASL " + wanted + (secured ? "" : " without TLS"));
            return;
        }
        state = State.SASL;
        String initial;
        if (options.mechanism() == SaslMechanismChoice.PLAIN) {
            initial = "\0" + options.username(user) + "\0" + options.password();
        } else {
            scram = new ScramSha1Client(options.username(user), options.password());
            initial = scram.clientFirst();
        }
        write(ctx, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + wanted + "'>"
                + base64(initial) + "</auth>");
    }

    private void onSasl(ChannelHandlerContext ctx, Element answer) {
        switch (answer.getName()) {
            case "challenge" -> {
                if (scram == null) {
                    failAndClose(ctx, "unexpected SASL challenge");
                    return;
                }
                String response = scram.clientFinal(unbase64(answer.getTextTrim()));
                write(ctx, "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + base64(response) + "</response>");
            }
            case "success" -> {
                if (scram != null && !scram.verifyServerFinal(unbase64(answer.getTextTrim()))) {
                    failAndClose(ctx, "SCRAM server signature does not verify");
                    return;
                }
                authenticated = true;
                state = State.STREAM;
                // §6.4.6: the stream restarts; the decoder must read a new document.
                decoder(ctx).reset();
                openStream(ctx);
            }
            default -> failAndClose(ctx, "SASL " + answer.getName() + " " + firstChildName(answer));
        }
    }

    private void onLoginIq(ChannelHandlerContext ctx, Element iq) {
        if (!"iq".equals(iq.getName())) {
            if (state == State.ROSTER && "presence".equals(iq.getName())) {
                events.presenceReceived(this, iq);
            }
            return;
        }
        if (!"result".equals(iq.attributeValue("type"))) {
            if ("set".equals(iq.attributeValue("type")) || "get".equals(iq.attributeValue("type"))) {
                answerServerIq(iq);
                return;
            }
            failAndClose(ctx, state + " failed: " + firstChildName(iq.element("error")));
            return;
        }
        switch (state) {
            case BIND -> {
                Element bind = iq.element("bind");
                boundJid = bind == null || bind.element("jid") == null ? null : bind.element("jid").getTextTrim();
                events.loggedIn(this, System.nanoTime() - startNanos);
                if (sessionRequired) {
                    state = State.SESSION;
                    write(ctx, "<iq type='set' id='sess'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
                } else {
                    afterSession(ctx);
                }
            }
            case SESSION -> afterSession(ctx);
            case ROSTER -> becomeReady(ctx);
            default -> { }
        }
    }

    private void afterSession(ChannelHandlerContext ctx) {
        if (options.rosterGet()) {
            state = State.ROSTER;
            write(ctx, "<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>");
        } else {
            becomeReady(ctx);
        }
    }

    private void becomeReady(ChannelHandlerContext ctx) {
        state = State.READY;
        wasReady = true;
        if (options.initialPresence()) {
            write(ctx, "<presence/>");
        }
        events.ready(this);
    }

    private void onStanza(Element stanza) {
        switch (stanza.getName()) {
            case "message" -> onMessage(stanza);
            case "presence" -> {
                if (options.autoApprove() && "subscribe".equals(stanza.attributeValue("type"))) {
                    send("<presence type='subscribed' to='" + bare(stanza.attributeValue("from")) + "'/>");
                }
                events.presenceReceived(this, stanza);
            }
            case "iq" -> answerServerIq(stanza);
            default -> { }
        }
    }

    private void onMessage(Element message) {
        if ("error".equals(message.attributeValue("type"))) {
            events.messageError(this, message);
            return;
        }
        String id = message.attributeValue("id");
        int dash = id == null ? -1 : id.indexOf('-');
        if (dash > 0) {
            try {
                events.messageReceived(this, System.nanoTime() - Long.parseLong(id.substring(dash + 1)));
            } catch (NumberFormatException e) {
                // not one of ours: a server notice, ignored
            }
        }
    }

    /**
     * A client must answer every get/set (RFC 6120 §8.2.3): roster pushes get a result
     * (RFC 6121 §2.1.6), pings too (XEP-0199 §4.2), anything else service-unavailable.
     */
    private void answerServerIq(Element iq) {
        String type = iq.attributeValue("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return;
        }
        String id = iq.attributeValue("id", "");
        String from = iq.attributeValue("from");
        String to = from == null ? "" : " to='" + from + "'";
        Element child = iq.elements().isEmpty() ? null : iq.elements().get(0);
        String ns = child == null ? "" : child.getNamespaceURI();
        if (ROSTER_NS.equals(ns) || "urn:xmpp:ping".equals(ns)) {
            send("<iq type='result' id='" + id + "'" + to + "/>");
        } else {
            send("<iq type='error' id='" + id + "'" + to + "><error type='cancel'>"
                    + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        }
    }

    private void failAndClose(ChannelHandlerContext ctx, String reason) {
        fail(reason);
        ctx.close();
    }

    private void fail(String reason) {
        if (state != State.DONE && state != State.CLOSING) {
            state = State.DONE;
            events.failed(this, reason);
        }
    }

    private static XmppStreamDecoder decoder(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(XmppStreamDecoder.class);
    }

    private static void write(ChannelHandlerContext ctx, String xml) {
        ByteBuf buf = ByteBufUtil.writeUtf8(ctx.alloc(), xml);
        ctx.writeAndFlush(buf, ctx.voidPromise());
    }

    private static String firstChildName(Element element) {
        if (element == null || element.elements().isEmpty()) {
            return "(no condition)";
        }
        return element.elements().get(0).getName();
    }

    private static String bare(String jid) {
        if (jid == null) {
            return "";
        }
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    private static String base64(String text) {
        String encoded = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        return encoded.isEmpty() ? "=" : encoded;
    }

    private static String unbase64(String text) {
        if (text.isEmpty() || "=".equals(text)) {
            return "";
        }
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }
}
