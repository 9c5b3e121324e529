package im.parley.bench.client;

import im.parley.core.xml.XmppStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.dom4j.Element;

/**
 * The client side of stream negotiation for one {@link XmppClient} (RFC 6120 §4.3): features,
 * optional STARTTLS (§5), SASL PLAIN or SCRAM-SHA-1 (§6), stream restart, resource binding
 * (§7), the session IQ when the server still requires it (RFC 3921 §3), then the optional
 * roster get and initial presence (RFC 6121 §2.1.3, §4.2). A client with
 * {@link StreamManagement} enables it right after binding (XEP-0198 §3), or resumes its
 * session instead of binding (§5).
 *
 * <p>The client's {@link ClientState} decides which step an element answers; this class moves
 * it on through the client. The client drops it once the login completes.
 */
final class LoginNegotiation {

    private static final String STREAM_HEADER = "<?xml version='1.0'?><stream:stream to='%s' version='1.0'"
            + " xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private final XmppClient client;
    private final SslContext tls;
    private final long startNanos;
    private boolean secured;
    private boolean authenticated;
    private boolean sessionRequired;
    private ScramSha1Client scram;

    LoginNegotiation(XmppClient client, SslContext tls, long startNanos) {
        this.client = client;
        this.tls = tls;
        this.startNanos = startNanos;
    }

    void openStream(ChannelHandlerContext ctx) {
        write(ctx, String.format(STREAM_HEADER, client.options().domain()));
    }

    void onFeatures(ChannelHandlerContext ctx, Element features) {
        if (!"features".equals(features.getName())) {
            failAndClose(ctx, "expected stream features, got " + features.getName());
            return;
        }
        if (!authenticated) {
            if (client.options().startTls() && !secured) {
                if (features.element("starttls") == null) {
                    failAndClose(ctx, "server offers no STARTTLS");
                    return;
                }
                client.enter(ClientState.STARTTLS);
                write(ctx, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
                return;
            }
            startSasl(ctx, features);
            return;
        }
        StreamManagement sm = client.sm();
        if (sm != null && sm.resumes()) {
            if (features.element("sm") == null) {
                failAndClose(ctx, "server offers no stream management to resume with");
                return;
            }
            client.enter(ClientState.RESUME);
            write(ctx, sm.resumeRequest());
            return;
        }
        Element session = features.element("session");
        sessionRequired = session != null && session.element("optional") == null;
        client.enter(ClientState.BIND);
        write(ctx, "<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>bench</resource></bind></iq>");
    }

    /** RFC 6120 §5.4.2.3: on {@code <proceed/>} TLS starts and the stream restarts over it. */
    void onStartTlsAnswer(ChannelHandlerContext ctx, Element answer) {
        if (!"proceed".equals(answer.getName())) {
            failAndClose(ctx, "STARTTLS refused: " + answer.getName());
            return;
        }
        ClientOptions options = client.options();
        SslHandler ssl = tls.newHandler(ctx.alloc(), options.server().getHostString(), options.server().getPort());
        ctx.pipeline().addFirst("tls", ssl);
        decoder(ctx).reset();
        secured = true;
        client.enter(ClientState.STREAM);
        ssl.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                openStream(ctx);
            } else {
                failAndClose(ctx, "TLS handshake failed: " + done.cause());
            }
        });
    }

    private void startSasl(ChannelHandlerContext ctx, Element features) {
        ClientOptions options = client.options();
        Element mechanisms = features.element("mechanisms");
        String wanted = options.mechanism().wireName();
        boolean offered = mechanisms != null && mechanisms.elements("mechanism").stream()
                .anyMatch(m -> wanted.equals(m.getTextTrim()));
        if (!offered) {
            failAndClose(ctx, "server does not offer SASL " + wanted + (secured ? "" : " without TLS"));
            return;
        }
        client.enter(ClientState.SASL);
        String username = options.username(client.user());
        String initial;
        if (options.mechanism() == SaslMechanismChoice.PLAIN) {
            initial = "\0" + username + "\0" + options.password();
        } else {
            scram = new ScramSha1Client(username, options.password());
            initial = scram.clientFirst();
        }
        write(ctx, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + wanted + "'>"
                + SaslPayload.encode(initial) + "</auth>");
    }

    void onSasl(ChannelHandlerContext ctx, Element answer) {
        switch (answer.getName()) {
            case "challenge" -> {
                if (scram == null) {
                    failAndClose(ctx, "unexpected SASL challenge");
                    return;
                }
                String response = scram.clientFinal(SaslPayload.decode(answer.getTextTrim()));
                write(ctx, "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + SaslPayload.encode(response)
                        + "</response>");
            }
            case "success" -> {
                if (scram != null && !scram.verifyServerFinal(SaslPayload.decode(answer.getTextTrim()))) {
                    failAndClose(ctx, "SCRAM server signature does not verify");
                    return;
                }
                authenticated = true;
                client.enter(ClientState.STREAM);
                // §6.4.6: the stream restarts; the decoder must read a new document.
                decoder(ctx).reset();
                openStream(ctx);
            }
            default -> failAndClose(ctx, "SASL " + answer.getName() + " " + ErrorCondition.nameOf(answer));
        }
    }

    /** The answers to bind, session and roster get; the server's own IQs are answered meanwhile. */
    void onLoginIq(ChannelHandlerContext ctx, Element iq, ClientState state) {
        if (!"iq".equals(iq.getName())) {
            if (state == ClientState.ROSTER && "presence".equals(iq.getName())) {
                client.events().presenceReceived(client, iq);
            }
            return;
        }
        if (!"result".equals(iq.attributeValue("type"))) {
            if ("set".equals(iq.attributeValue("type")) || "get".equals(iq.attributeValue("type"))) {
                IncomingStanzas.answerServerIq(client, iq);
                return;
            }
            failAndClose(ctx, state + " failed: " + ErrorCondition.nameOf(iq.element("error")));
            return;
        }
        switch (state) {
            case BIND -> {
                Element bind = iq.element("bind");
                client.bound(bind == null || bind.element("jid") == null ? null : bind.element("jid").getTextTrim());
                client.events().loggedIn(client, System.nanoTime() - startNanos);
                if (client.sm() != null) {
                    // §3: the server answers <enabled/> before it handles the next request.
                    write(ctx, client.sm().enableRequest());
                }
                if (sessionRequired) {
                    client.enter(ClientState.SESSION);
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
        if (client.options().rosterGet()) {
            client.enter(ClientState.ROSTER);
            write(ctx, "<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>");
        } else {
            becomeReady(ctx);
        }
    }

    private void becomeReady(ChannelHandlerContext ctx) {
        client.loginCompleted();
        if (client.options().initialPresence()) {
            write(ctx, "<presence/>");
        }
        client.events().ready(client);
    }

    private void failAndClose(ChannelHandlerContext ctx, String reason) {
        client.fail(reason);
        ctx.close();
    }

    private static XmppStreamDecoder decoder(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(XmppStreamDecoder.class);
    }

    private static void write(ChannelHandlerContext ctx, String xml) {
        ByteBuf buf = ByteBufUtil.writeUtf8(ctx.alloc(), xml);
        ctx.writeAndFlush(buf, ctx.voidPromise());
    }
}
