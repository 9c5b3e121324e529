package im.parley.s2s;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.negotiation.HeldInput;
import im.parley.core.negotiation.StreamNegotiator;
import im.parley.core.net.PeerFaults;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.Stanzas;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import im.parley.s2s.dialback.Dialback;
import im.parley.s2s.stream.ContentNamespace;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of a server-to-server stream: header checks, negotiation with the s2s
 * features (STARTTLS, SASL EXTERNAL, the dialback announcement, XEP-0478 limits) through the generic
 * {@link StreamNegotiator}, Server Dialback in both roles (XEP-0220: receiving server verifying
 * a {@code db:result}, authoritative server answering a {@code db:verify}), and stanza intake
 * with the RFC 6120 §13.1 / §4.9.3 address checks and the server's bound on stanzas from peers
 * in flight (§13.12, {@link InboundReading}).
 */
final class InboundStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundStreamHandler.class);

    private final S2sRouter router;
    private final StreamNegotiator<InboundSession> negotiator;
    private final HeldInput<Object> held = new HeldInput<>();
    private InboundSession session;
    private InboundReading reading;
    private ScheduledFuture<?> negotiationTimeout;

    InboundStreamHandler(S2sRouter router, List<FeatureNegotiator<InboundSession>> features) {
        this.router = router;
        this.negotiator = new StreamNegotiator<>(features);
    }

    static List<FeatureNegotiator<InboundSession>> features() {
        return List.of(new InboundStartTlsFeature(), new SaslExternalFeature(), new DialbackFeature(),
                new InboundStreamLimitsFeature());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        session = new InboundSession(ctx.channel(), router);
        reading = new InboundReading(ctx.channel());
        router.inboundOpened();
        long timeout = router.settings().negotiationTimeout().toMillis();
        negotiationTimeout = ctx.executor().schedule(() -> {
            if (!session.hasAnyAuthenticated()) {
                session.close(StreamError.of(StreamErrorCondition.CONNECTION_TIMEOUT, "no domain authenticated in time"));
            }
        }, timeout, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (negotiationTimeout != null) {
            negotiationTimeout.cancel(false);
        }
        if (session != null) {
            router.inboundClosed();
        }
        negotiator.close();
        held.clear(ReferenceCountUtil::release);
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && session.hasAnyAuthenticated()) {
            // The peer normally closes its idle outbound stream first; this bounds forgotten ones.
            // Before authentication the negotiation timeout applies instead: dialback may be slow.
            session.closeStream();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held.holdIfBusy(msg)) {
            return;
        }
        try {
            handle(ctx, msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (PeerFaults.isFromPeer(cause)) {
            LOG.debug("{}: connection error: {}", session, PeerFaults.describe(cause));
            ctx.close();
            return;
        }
        LOG.warn("{}: internal error", session, cause);
        session.close(StreamError.of(StreamErrorCondition.INTERNAL_SERVER_ERROR, null));
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (session.isClosed()) {
            return;
        }
        if (msg instanceof StreamOpen open) {
            onStreamOpen(open);
        } else if (msg instanceof Element element) {
            onElement(ctx, element);
        } else if (msg instanceof StreamClose) {
            negotiator.close();
            session.closeStream();
        } else if (msg instanceof StreamFault fault) {
            // The peer's fault: one line, no stack trace.
            LOG.info("{}: closing the stream for bad input: {}", session, fault.error());
            session.close(fault.error());
        }
    }

    /** RFC 6120 §4.7, §4.8: the header names a hosted domain and the jabber:server namespace. */
    private void onStreamOpen(StreamOpen open) {
        if (negotiator.state() != StreamNegotiator.State.AWAITING_STREAM_OPEN) {
            session.close(StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "unexpected stream restart"));
            return;
        }
        Optional<DomainBareJid> local = hostedDomain(open.to());
        if (local.isEmpty() || (session.localDomain() != null && !session.localDomain().equals(local.get()))) {
            session.close(StreamError.of(StreamErrorCondition.HOST_UNKNOWN, "this server does not serve '" + open.to() + "'"));
            return;
        }
        session.openStream(local.get(), open.from());
        if (!Namespaces.SERVER.equals(open.contentNamespace())) {
            session.close(StreamError.of(StreamErrorCondition.INVALID_NAMESPACE,
                    "the content namespace of a server-to-server stream is jabber:server"));
            return;
        }
        if (open.version() == null || !open.version().startsWith("1.")) {
            session.close(StreamError.of(StreamErrorCondition.UNSUPPORTED_VERSION, "XMPP 1.0 is required"));
            return;
        }
        session.send(negotiator.onStreamOpened(session));
    }

    private void onElement(ChannelHandlerContext ctx, Element element) {
        if (Namespaces.STREAMS.equals(element.getNamespaceURI()) && "error".equals(element.getName())) {
            LOG.info("{}: stream error from the peer: {}", session, element.asXML());
            ctx.close();
            return;
        }
        Optional<FeatureNegotiator<InboundSession>> feature = negotiator.featureFor(element, session);
        if (feature.isPresent()) {
            runFeature(ctx, feature.get(), element);
            return;
        }
        if (!negotiator.isEstablished()) {
            // RFC 6120 §4.9.3.12 / §5.3.1: TLS first, then anything else.
            session.close(StreamError.of(StreamErrorCondition.NOT_AUTHORIZED, "negotiate STARTTLS first"));
        } else if (Dialback.isResult(element)) {
            onDialbackResult(element);
        } else if (Dialback.isVerify(element)) {
            onDialbackVerify(element);
        } else if (Stanzas.isStanza(element) && Namespaces.SERVER.equals(element.getNamespaceURI())) {
            onStanza(element);
        } else {
            session.close(StreamError.of(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
                    "<" + element.getName() + "/> is not a stanza in jabber:server"));
        }
    }

    private void runFeature(ChannelHandlerContext ctx, FeatureNegotiator<InboundSession> feature, Element element) {
        held.stepStarted();
        reading.stepStarted();
        feature.process(element, session).whenComplete((outcome, failure) -> {
            if (ctx.executor().inEventLoop()) {
                afterFeatureStep(ctx, feature, outcome, failure);
            } else {
                ctx.executor().execute(() -> afterFeatureStep(ctx, feature, outcome, failure));
            }
        });
    }

    private void afterFeatureStep(ChannelHandlerContext ctx, FeatureNegotiator<InboundSession> feature,
                                  FeatureOutcome outcome, Throwable failure) {
        if (failure != null) {
            LOG.warn("{}: {} failed", session, feature.name(), failure);
            negotiator.close();
            session.close(StreamError.of(StreamErrorCondition.INTERNAL_SERVER_ERROR, null));
        } else {
            negotiator.onOutcome(outcome, session);
            if (session.hasAnyAuthenticated()) {
                session.raiseStanzaLimit();
            }
        }
        reading.stepDone();
        held.stepDone(next -> {
            try {
                handle(ctx, next);
            } finally {
                ReferenceCountUtil.release(next);
            }
        });
    }

    /**
     * XEP-0220 §2.1: a peer asks to be accepted for a domain pair. Verified asynchronously with
     * the authoritative server (§2.1.2), or by its certificate where that alone is required.
     */
    private void onDialbackResult(Element result) {
        Optional<DomainBareJid> local = hostedDomain(result.attributeValue("to"));
        Optional<DomainBareJid> remote = domain(result.attributeValue("from"));
        String key = result.getTextTrim();
        if (local.isEmpty()) {
            session.send(Dialback.error(result, "cancel", "item-not-found"));
            return;
        }
        if (remote.isEmpty() || router.isLocal(remote.get()) || key.isEmpty()) {
            session.send(Dialback.error(result, "modify", "bad-request"));
            return;
        }
        DomainPair pair = new DomainPair(local.get(), remote.get());
        if (router.settings().policyFor(remote.get()) == RemotePolicy.REQUIRE_CERTIFICATE) {
            // XEP-0344 §2.4: with a valid certificate for the domain, dialback adds nothing.
            boolean valid = session.certificateFor(remote.get().toString()).isValid();
            if (!valid) {
                LOG.info("{}: dialback for {} refused: policy requires a valid certificate", session, pair);
                session.send(Dialback.error(result, "auth", "not-authorized"));
                return;
            }
            accept(pair, true);
            return;
        }
        router.verifyDialback(pair, session.streamId(), key).whenComplete((valid, failure) ->
                session.channel().eventLoop().execute(() -> accept(pair, failure == null && valid)));
    }

    private void accept(DomainPair pair, boolean valid) {
        if (valid) {
            session.authenticated(pair);
            session.raiseStanzaLimit();
            LOG.info("{}: {} authenticated by dialback", session, pair);
        } else {
            LOG.info("{}: dialback for {} failed", session, pair);
        }
        session.send(Dialback.resultAnswer(pair.local().toString(), pair.remote().toString(), valid));
    }

    /** XEP-0220 §2.1.2 (authoritative server): is this key one we made for that stream? */
    private void onDialbackVerify(Element verify) {
        String receiving = verify.attributeValue("from");
        String originating = verify.attributeValue("to");
        String id = verify.attributeValue("id");
        if (hostedDomain(originating).isEmpty()) {
            session.send(Dialback.error(verify, "cancel", "item-not-found"));
            return;
        }
        if (receiving == null || id == null) {
            session.send(Dialback.error(verify, "modify", "bad-request"));
            return;
        }
        boolean valid = router.settings().dialbackKeys().matches(receiving, originating, id, verify.getTextTrim());
        session.send(Dialback.verifyAnswer(originating, receiving, id, valid));
    }

    /**
     * RFC 6120 §8.1.1.1, §8.1.2.2, §13.1: both addresses are required, the sender's domain must be
     * authenticated on this stream for the recipient's domain, and the recipient must be hosted
     * here; the stream ends with the matching stream error otherwise.
     */
    private void onStanza(Element element) {
        Jid from;
        Jid to;
        try {
            String rawFrom = element.attributeValue("from");
            String rawTo = element.attributeValue("to");
            if (rawFrom == null || rawTo == null) {
                session.close(StreamError.of(StreamErrorCondition.IMPROPER_ADDRESSING,
                        "stanzas between servers carry both 'from' and 'to'"));
                return;
            }
            from = Jids.parse(rawFrom);
            to = Jids.parse(rawTo);
        } catch (JidMalformedException e) {
            session.close(StreamError.of(StreamErrorCondition.IMPROPER_ADDRESSING, e.getMessage()));
            return;
        }
        DomainBareJid fromDomain = from.asDomainBareJid();
        DomainBareJid toDomain = to.asDomainBareJid();
        if (!session.hasAuthenticatedRemote(fromDomain)) {
            session.close(StreamError.of(StreamErrorCondition.INVALID_FROM,
                    "'" + fromDomain + "' is not authenticated on this stream"));
            return;
        }
        if (!router.isLocal(toDomain)) {
            session.close(StreamError.of(StreamErrorCondition.HOST_UNKNOWN, "this server does not serve '" + toDomain + "'"));
            return;
        }
        if (!session.isAuthenticated(new DomainPair(toDomain, fromDomain))) {
            session.close(StreamError.of(StreamErrorCondition.INVALID_FROM,
                    "'" + fromDomain + "' is not authenticated for '" + toDomain + "' on this stream"));
            return;
        }
        CompletableFuture<Void> room = router.deliverInbound(new Stanza(ContentNamespace.toClient(element), from, to));
        if (!room.isDone()) {
            // RFC 6120 §13.12: past the bound on stanzas from peers in flight, read this peer slower.
            reading.holdUntil(room);
        }
    }

    private Optional<DomainBareJid> hostedDomain(String domain) {
        return domain(domain).filter(router::isLocal);
    }

    private static Optional<DomainBareJid> domain(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Jids.parseDomain(domain));
        } catch (JidMalformedException e) {
            return Optional.empty();
        }
    }
}
