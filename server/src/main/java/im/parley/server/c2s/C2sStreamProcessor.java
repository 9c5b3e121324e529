package im.parley.server.c2s;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.negotiation.HeldInput;
import im.parley.core.negotiation.StreamNegotiator;
import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.core.routing.StanzaIntake;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side of a client-to-server stream, whatever its transport: stream headers,
 * negotiation through the generic {@link StreamNegotiator} with the c2s features, then stanza
 * intake (RFC 6120 §4, §8). Input is processed strictly in order on the transport's executor:
 * while a feature step runs elsewhere, later input waits in a queue and reading pauses.
 */
public final class C2sStreamProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(C2sStreamProcessor.class);

    private final C2sContext context;
    private final StreamNegotiator<C2sSession> negotiator;
    private final C2sTransport transport;
    /** Not final: a stream that resumes an earlier session continues with it (XEP-0198 §5). */
    private C2sSession session;
    private final HeldInput<Object> held = new HeldInput<>();
    private Runnable cancelNegotiationTimeout;

    /** Starts processing a new connection: the negotiation clock starts now (RFC 6120 §4.9.3.4). */
    public C2sStreamProcessor(C2sContext context, List<FeatureNegotiator<C2sSession>> features, C2sTransport transport) {
        this.context = context;
        this.negotiator = new StreamNegotiator<>(features);
        this.transport = transport;
        this.session = new C2sSession(transport, context);
        cancelNegotiationTimeout = transport.schedule(() -> {
            if (!negotiator.isEstablished()) {
                session.close(StreamError.of(StreamErrorCondition.CONNECTION_TIMEOUT,
                        "stream not authenticated and bound in time"));
            }
        }, context.limits().negotiationTimeout().toMillis());
    }

    public C2sSession session() {
        return session;
    }

    /**
     * One input object from the transport ({@link StreamOpen}, an element, {@link StreamClose}
     * or {@link StreamFault}), on the transport's executor. Held back while a feature step runs.
     */
    public void receive(Object msg) {
        if (held.holdIfBusy(msg)) {
            return;
        }
        handle(msg);
    }

    /** The connection is gone (closed by either side or lost). */
    public void disconnected() {
        if (cancelNegotiationTimeout != null) {
            cancelNegotiationTimeout.run();
        }
        negotiator.close();
        session.connectionLost(transport);
        held.clear(ignored -> { });
    }

    /** A bug while processing input: end the stream with {@code internal-server-error}. */
    public void internalError(Throwable cause) {
        LOG.warn("{}: internal error", session, cause);
        session.close(StreamError.of(StreamErrorCondition.INTERNAL_SERVER_ERROR, null));
    }

    private void handle(Object msg) {
        if (session.isClosed()) {
            return;
        }
        if (msg instanceof StreamOpen open) {
            onStreamOpen(open);
        } else if (msg instanceof Element element) {
            onElement(element);
        } else if (msg instanceof StreamClose) {
            negotiator.close();
            session.closeStream();
        } else if (msg instanceof StreamFault fault) {
            // The client's fault: one line, no stack trace.
            LOG.info("{}: closing the stream for bad input: {}", session, fault.error());
            session.close(fault.error());
        }
    }

    /** RFC 6120 §4.7 and §4.8: check the header, answer it, then offer features (§4.3.2). */
    private void onStreamOpen(StreamOpen open) {
        if (negotiator.state() != StreamNegotiator.State.AWAITING_STREAM_OPEN) {
            session.close(StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "unexpected stream restart"));
            return;
        }
        Optional<DomainBareJid> domain = hostedDomain(open.to());
        if (domain.isEmpty() || (session.domain() != null && !session.domain().equals(domain.get()))) {
            session.close(StreamError.of(StreamErrorCondition.HOST_UNKNOWN,
                    "this server does not serve '" + open.to() + "'"));
            return;
        }
        session.openStream(domain.get());
        if (!Namespaces.CLIENT.equals(open.contentNamespace())) {
            session.close(StreamError.of(StreamErrorCondition.INVALID_NAMESPACE,
                    "the content namespace of a client stream is jabber:client"));
            return;
        }
        if (!isVersionOne(open.version())) {
            session.close(StreamError.of(StreamErrorCondition.UNSUPPORTED_VERSION, "XMPP 1.0 is required"));
            return;
        }
        session.send(negotiator.onStreamOpened(session));
        if (negotiator.isEstablished()) {
            established();
        }
    }

    private void onElement(Element element) {
        if (negotiator.isEstablished() && Stanzas.isStanza(element)) {
            onStanza(element);
            return;
        }
        // On an established stream, features still own their elements that are not stanzas
        // (XEP-0198 <enable/>, <r/>, <a/>; XEP-0352 <active/>, <inactive/>).
        Optional<FeatureNegotiator<C2sSession>> feature = negotiator.featureFor(element, session)
                .filter(f -> !negotiator.isEstablished() || f instanceof EstablishedStreamFeature);
        if (feature.isEmpty()) {
            if (negotiator.isEstablished()) {
                session.close(StreamError.of(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
                        "<" + element.getName() + "/> is not a stanza in jabber:client"));
            } else if (Stanzas.isStanza(element)) {
                // RFC 6120 §4.9.3.12: no stanzas before the stream is authenticated and bound.
                session.close(StreamError.of(StreamErrorCondition.NOT_AUTHORIZED,
                        "authenticate and bind a resource before sending stanzas"));
            } else {
                session.close(StreamError.of(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
                        "unexpected <" + element.getName() + "/> during stream negotiation"));
            }
            return;
        }
        held.stepStarted();
        transport.pauseReading();
        feature.get().process(element, session).whenComplete((outcome, failure) -> {
            if (transport.inExecutor()) {
                afterFeatureStep(feature.get(), outcome, failure);
            } else {
                transport.executor().execute(() -> afterFeatureStep(feature.get(), outcome, failure));
            }
        });
    }

    private void afterFeatureStep(FeatureNegotiator<C2sSession> feature, FeatureOutcome outcome, Throwable failure) {
        if (failure != null) {
            LOG.warn("{}: {} failed", session, feature.name(), failure);
            negotiator.close();
            session.close(StreamError.of(StreamErrorCondition.INTERNAL_SERVER_ERROR, null));
        } else {
            if (session.resumedSession() != null) {
                session = session.resumedSession();
            }
            negotiator.onOutcome(outcome, session);
            if (negotiator.isEstablished()) {
                established();
            }
        }
        transport.resumeReading();
        held.stepDone(this::handle);
    }

    private void established() {
        if (cancelNegotiationTimeout != null) {
            cancelNegotiationTimeout.run();
            cancelNegotiationTimeout = null;
        }
        LOG.debug("{}: stream established", session);
    }

    /** RFC 6120 §8.1: stanza intake on an established stream. */
    private void onStanza(Element element) {
        // RFC 6120 §8.1.2.1: the server stamps 'from' with the full JID; any other claimed
        // sender is a spoofing attempt answered with <invalid-from/> (§4.9.3.9).
        String claimedFrom = element.attributeValue("from");
        if (claimedFrom != null && !isOwnAddress(claimedFrom)) {
            session.close(StreamError.of(StreamErrorCondition.INVALID_FROM,
                    "'" + claimedFrom + "' is not the address of this stream"));
            return;
        }
        element.addAttribute("from", session.jid().toString());
        context.metrics().stanzas().received(element);
        Jid to = null;
        String rawTo = element.attributeValue("to");
        if (rawTo != null) {
            try {
                to = Jids.parse(rawTo);
            } catch (JidMalformedException e) {
                if (!Stanzas.isError(element)) {
                    Element reply = Stanzas.errorReply(element,
                            StanzaError.of(StanzaErrorCondition.JID_MALFORMED, e.getMessage()));
                    reply.remove(reply.attribute("from"));  // it would carry the malformed address
                    session.deliver(reply);
                }
                session.inboundReceived(element, CompletableFuture.completedFuture(null));
                return;
            }
        }
        // XEP-0198 §4: the stanza counts as handled once the work its routing started is done.
        Handling handling = Handling.begin();
        context.router().routeFromClient(new Stanza(element, session.jid(), to), session, handling);
        handling.end();
        session.inboundReceived(element, handling.completion());
        if (!handling.isComplete()) {
            // RFC 6120 §13.12: past the server's bound on stanzas in flight, read this client slower.
            CompletableFuture<Void> room = context.intake().admit(handling.completion());
            if (!room.isDone()) {
                // The hold's cap on the connection's own scheduler, not the JDK's shared delay
                // queue: an overloaded server holds for most stanzas (routing/TurnTimeouts).
                Runnable cancel = transport.schedule(() -> room.complete(null), StanzaIntake.MAX_HOLD.toMillis());
                room.whenComplete((ignored, failure) -> cancel.run());
                session.holdReading(room);
            }
        }
    }

    private boolean isOwnAddress(String claimed) {
        try {
            Jid jid = Jids.parse(claimed);
            return jid.equals(session.jid()) || jid.equals(session.jid().asEntityBareJid());
        } catch (JidMalformedException e) {
            return false;
        }
    }

    private Optional<DomainBareJid> hostedDomain(String to) {
        if (to == null) {
            return Optional.empty();
        }
        try {
            DomainBareJid domain = Jids.parseDomain(to);
            return context.domains().contains(domain) ? Optional.of(domain) : Optional.empty();
        } catch (JidMalformedException e) {
            return Optional.empty();
        }
    }

    /** RFC 6120 §4.7.5: major version 1; a missing version means pre-1.0, which we do not speak. */
    private static boolean isVersionOne(String version) {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        String major = dot < 0 ? version : version.substring(0, dot);
        return "1".equals(major.trim());
    }
}
