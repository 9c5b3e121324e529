package im.parley.s2s;

import im.parley.core.net.PeerFaults;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.stream.StreamLimits;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import im.parley.core.xml.XmppStreamDecoder;
import im.parley.s2s.OutboundStream.ConnectAttempt;
import im.parley.s2s.dialback.Dialback;
import im.parley.s2s.dns.S2sTarget;
import im.parley.s2s.tls.PeerCertificateVerifier;
import im.parley.s2s.tls.S2sTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initiating side of a server-to-server stream (RFC 6120 §4, §5, §6; XEP-0178; XEP-0220):
 * opens the stream, negotiates STARTTLS, checks the peer certificate against the policy for the
 * remote domain, then authenticates the local domain by SASL EXTERNAL when the peer offers it
 * (it does so only when it accepts our certificate, XEP-0178 §3) and by Server Dialback
 * otherwise, or after EXTERNAL failed. One handler per connection attempt.
 */
final class OutboundStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundStreamHandler.class);
    private static final Namespace TLS = Namespace.get(Namespaces.TLS);
    private static final Namespace SASL = Namespace.get(Namespaces.SASL);

    /** Negotiation phases; transitions happen only in {@link #phase(Phase)}. */
    enum Phase { AWAIT_HEADER, AWAIT_FEATURES, AWAIT_PROCEED, AWAIT_SASL, AWAIT_DIALBACK, ESTABLISHED, DONE }

    private final OutboundStream stream;
    private final S2sRouter router;
    private final S2sTarget target;
    private final Iterator<ConnectAttempt> remaining;
    private Channel channel;
    private Phase phase = Phase.AWAIT_HEADER;
    private String streamId;
    private boolean secure;
    private boolean certificateChecked;
    private boolean saslDone;
    private boolean externalFailed;

    OutboundStreamHandler(OutboundStream stream, S2sRouter router, S2sTarget target, Iterator<ConnectAttempt> remaining) {
        this.stream = stream;
        this.router = router;
        this.target = target;
        this.remaining = remaining;
    }

    DomainPair pair() {
        return stream.pair();
    }

    String remoteDomain() {
        return pair().remote().toString();
    }

    SslContext clientTls() {
        return router.tls().client(pair().local())
                .orElseThrow(() -> new IllegalStateException("no TLS context for " + pair().local()));
    }

    /** The encoder held back a stanza over the peer's XEP-0478 limit (on the event loop). */
    void stanzaTooLarge(Stanza stanza, int bytes, int peerMaxBytes) {
        stream.tooLarge(stanza, bytes, peerMaxBytes);
    }

    void attach(Channel attempt) {
        stream.attached(attempt);
    }

    /** TCP connect failed: try the next address, remembering whether this one timed out. */
    void connectFailed(Throwable cause) {
        LOG.debug("{}: connecting to {} failed: {}", pair(), target, cause.toString());
        phase(Phase.DONE);
        stream.connectNext(remaining, cause instanceof ConnectTimeoutException
                ? StanzaErrorCondition.REMOTE_SERVER_TIMEOUT : StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The connect may complete before attach() runs on the connecting thread.
        this.channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // With direct TLS the SslHandler holds the header until the handshake is done.
        sendHeader();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (phase == Phase.ESTABLISHED) {
            phase(Phase.DONE);
            stream.closed();
        } else if (phase != Phase.DONE) {
            phase(Phase.DONE);
            stream.fail(StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, "the peer closed the connection during negotiation");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                secure = true;
            } else if (phase != Phase.DONE) {
                LOG.debug("{}: TLS with {} failed: {}", pair(), target, handshake.cause().toString());
                phase(Phase.DONE);
                ctx.close();
                stream.connectNext(remaining, StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND);
            }
        } else if (event instanceof IdleStateEvent && phase == Phase.ESTABLISHED && !stream.hasPendingVerifications()) {
            // XEP-0288-less servers close idle s2s streams politely (RFC 6120 §4.4).
            LOG.debug("{}: idle, closing", pair());
            phase(Phase.DONE);
            stream.closed();
            ctx.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (PeerFaults.isFromPeer(cause)) {
            LOG.debug("{}: connection error: {}", pair(), PeerFaults.describe(cause));
        } else {
            LOG.warn("{}: internal error", pair(), cause);
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof StreamOpen open) {
                onStreamOpen(open);
            } else if (msg instanceof Element element) {
                onElement(ctx, element);
            } else if (msg instanceof StreamClose) {
                ctx.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
            } else if (msg instanceof StreamFault fault) {
                failStream(fault.error(), "the peer sent malformed XML: " + fault.error());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onStreamOpen(StreamOpen open) {
        if (phase != Phase.AWAIT_HEADER) {
            failStream(StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "unexpected stream header"), "unexpected header");
            return;
        }
        if (!Namespaces.SERVER.equals(open.contentNamespace())) {
            failStream(StreamError.of(StreamErrorCondition.INVALID_NAMESPACE, "s2s streams carry jabber:server"),
                    "the peer's content namespace is " + open.contentNamespace());
            return;
        }
        if (open.version() == null || !open.version().startsWith("1.")) {
            failStream(StreamError.of(StreamErrorCondition.UNSUPPORTED_VERSION, "XMPP 1.0 is required"),
                    "the peer does not speak XMPP 1.0 streams");
            return;
        }
        streamId = open.id();
        phase(Phase.AWAIT_FEATURES);
    }

    private void onElement(ChannelHandlerContext ctx, Element element) {
        String ns = element.getNamespaceURI();
        String name = element.getName();
        if (Namespaces.STREAMS.equals(ns) && "features".equals(name) && phase == Phase.AWAIT_FEATURES) {
            onFeatures(element);
        } else if (Namespaces.STREAMS.equals(ns) && "error".equals(name)) {
            LOG.info("{}: stream error from the peer: {}", pair(), element.asXML());
            ctx.close();
        } else if (Namespaces.TLS.equals(ns) && "proceed".equals(name) && phase == Phase.AWAIT_PROCEED) {
            startTls(ctx);
        } else if (Namespaces.TLS.equals(ns) && "failure".equals(name)) {
            fail("the peer refused STARTTLS");
        } else if (Namespaces.SASL.equals(ns) && "success".equals(name) && phase == Phase.AWAIT_SASL) {
            // RFC 6120 §6.4.6: SASL success restarts the stream.
            saslDone = true;
            restart(ctx);
        } else if (Namespaces.SASL.equals(ns) && "failure".equals(name) && phase == Phase.AWAIT_SASL) {
            LOG.info("{}: SASL EXTERNAL refused ({}); trying dialback", pair(), element.elements().isEmpty()
                    ? "no reason" : element.elements().get(0).getName());
            externalFailed = true;
            startDialback();
        } else if (Dialback.isResult(element) && phase == Phase.AWAIT_DIALBACK) {
            onDialbackResult(element);
        } else if (Dialback.isVerify(element)) {
            stream.verificationAnswered(element.attributeValue("from"), element.attributeValue("to"),
                    element.attributeValue("id"), "valid".equals(element.attributeValue("type")));
        } else {
            LOG.debug("{}: ignoring <{} xmlns='{}'/> in phase {}", pair(), name, ns, phase);
        }
    }

    /**
     * RFC 6120 §4.3.2: what to do next depends on what the peer offers. The limits of these
     * features replace those of any earlier ones on this connection (XEP-0478 §4: they may
     * change with each {@code <stream:features/>}, e.g. after the TLS or SASL restart).
     */
    private void onFeatures(Element features) {
        channel.pipeline().get(OutboundStreamEncoder.class).peerMaxBytes(StreamLimits.advertisedMaxBytes(features));
        boolean tlsOffered = features.element(QName.get("starttls", TLS)) != null;
        if (!secure && tlsOffered) {
            channel.writeAndFlush(DocumentHelper.createElement(QName.get("starttls", TLS)));
            phase(Phase.AWAIT_PROCEED);
            return;
        }
        if (!secure && (router.settings().requireEncryption()
                || router.settings().policyFor(pair().remote()) == RemotePolicy.REQUIRE_CERTIFICATE)) {
            fail("the peer does not offer STARTTLS and TLS is required");
            return;
        }
        if (secure && !certificateChecked) {
            certificateChecked = true;
            PeerCertificateVerifier.Result certificate = router.settings().certificates()
                    .verify(S2sTls.peerChain(channel.pipeline().get(SslHandler.class)), remoteDomain());
            LOG.debug("{}: peer certificate {}", pair(), certificate);
            if (!certificate.isValid()
                    && router.settings().policyFor(pair().remote()) == RemotePolicy.REQUIRE_CERTIFICATE) {
                fail("the peer certificate is " + certificate + " and " + pair().remote() + " requires a valid one");
                return;
            }
        }
        if (saslDone) {
            established();
            return;
        }
        if (secure && !externalFailed && offersExternal(features)) {
            Element auth = DocumentHelper.createElement(QName.get("auth", SASL));
            auth.addAttribute("mechanism", "EXTERNAL");
            // XEP-0178 §3 step 9: the authorization identity is our domain.
            auth.setText(Base64.getEncoder().encodeToString(
                    pair().local().toString().getBytes(StandardCharsets.UTF_8)));
            channel.writeAndFlush(auth);
            phase(Phase.AWAIT_SASL);
            return;
        }
        startDialback();
    }

    private static boolean offersExternal(Element features) {
        Element mechanisms = features.element(QName.get("mechanisms", SASL));
        if (mechanisms == null) {
            return false;
        }
        for (Element mechanism : mechanisms.elements()) {
            if ("EXTERNAL".equals(mechanism.getTextTrim())) {
                return true;
            }
        }
        return false;
    }

    /** XEP-0220 §2.1.1: send our key; XEP-0185 binds it to the peer's stream id. */
    private void startDialback() {
        if (streamId == null) {
            fail("the peer's stream header has no id, so no dialback key can be made");
            return;
        }
        String key = router.settings().dialbackKeys().key(remoteDomain(), pair().local().toString(), streamId);
        channel.writeAndFlush(Dialback.result(pair().local().toString(), remoteDomain(), key));
        phase(Phase.AWAIT_DIALBACK);
        stream.readyForVerifications(channel);
    }

    private void onDialbackResult(Element result) {
        if (!pair().local().toString().equalsIgnoreCase(result.attributeValue("to"))
                || !remoteDomain().equalsIgnoreCase(result.attributeValue("from"))) {
            LOG.debug("{}: ignoring a db:result for another pair: {}", pair(), result.asXML());
            return;
        }
        String type = result.attributeValue("type");
        if ("valid".equals(type)) {
            established();
        } else {
            fail("dialback " + (type == null ? "answer without type" : type) + ": " + result.asXML());
        }
    }

    private void startTls(ChannelHandlerContext ctx) {
        XmppStreamDecoder decoder = ctx.pipeline().get(XmppStreamDecoder.class);
        if (!decoder.dropBufferedWhitespace()) {
            // RFC 6120 §5.4.3.3: nothing but whitespace may follow <proceed/> in plaintext
            // (CVE-2011-0411).
            failStream(StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "data after <proceed/>"),
                    "the peer sent plaintext after <proceed/>");
            return;
        }
        ctx.pipeline().addFirst("tls", clientTls().newHandler(ctx.alloc(), remoteDomain(), target.address().port()));
        restart(ctx);
    }

    /** RFC 6120 §4.3.3: a fresh XML document both ways. */
    private void restart(ChannelHandlerContext ctx) {
        ctx.pipeline().get(XmppStreamDecoder.class).reset();
        phase(Phase.AWAIT_HEADER);
        sendHeader();
    }

    private void established() {
        phase(Phase.ESTABLISHED);
        ((XmppStreamDecoder) channel.pipeline().get("xml-decoder")).setMaxStanzaBytes(router.settings().maxStanzaBytes());
        stream.established(channel, saslDone ? "sasl-external" : "dialback");
    }

    private void sendHeader() {
        channel.writeAndFlush(Dialback.declaredOn(new StreamOpen(remoteDomain(), pair().local().toString(), null,
                "1.0", null, Namespaces.SERVER)));
    }

    private void fail(String reason) {
        phase(Phase.DONE);
        stream.fail(StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, reason);
        channel.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
    }

    private void failStream(StreamError error, String reason) {
        boolean wasEstablished = phase == Phase.ESTABLISHED;
        phase(Phase.DONE);
        if (wasEstablished) {
            stream.closed();
        } else {
            stream.fail(StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, reason);
        }
        channel.write(error.toElement());
        channel.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
    }

    private void phase(Phase next) {
        phase = next;
    }
}
