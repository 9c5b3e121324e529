package im.parley.server.c2s.feature;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.sasl.SaslContext;
import im.parley.core.sasl.SaslFailure;
import im.parley.core.sasl.SaslMechanism;
import im.parley.core.sasl.SaslServer;
import im.parley.core.sasl.SaslStep;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.c2s.C2sSession;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL authentication (RFC 6120 §6.4): offers the mechanisms available on this connection,
 * runs each step off the event loop (credential lookup and PBKDF2 block), lets a client retry
 * after a failure (§6.4.5) up to a per-connection limit, and refuses attempts from an address
 * that failed too often recently.
 */
public final class SaslFeature implements FeatureNegotiator<C2sSession> {

    private static final Logger LOG = LoggerFactory.getLogger(SaslFeature.class);
    private static final Namespace NS = Namespace.get(Namespaces.SASL);
    /** RFC 6120 §6.4.5: allow at least 2 and no more than 5 retries per connection. */
    static final int MAX_CREDENTIAL_FAILURES_PER_CONNECTION = 5;
    /**
     * Protocol-level failures (an unsupported channel binding type, a refused downgrade) are not
     * wrong passwords: clients such as slixmpp walk through every offered mechanism, so these
     * are bounded separately and do not count against the address.
     */
    static final int MAX_FAILURES_PER_CONNECTION = 20;

    private SaslServer exchange;
    /** The mechanism of the exchange in progress, for the metrics. */
    private String mechanismName;
    private int failures;
    private int credentialFailures;

    @Override
    public String name() {
        return "sasl";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (session.isAuthenticated() || !tlsSatisfied(session)) {
            return null;
        }
        Element mechanisms = DocumentHelper.createElement(QName.get("mechanisms", NS));
        for (SaslMechanism mechanism : session.context().mechanisms().available(saslContext(session))) {
            mechanisms.addElement(QName.get("mechanism", NS)).setText(mechanism.name());
        }
        return mechanisms;
    }

    @Override
    public boolean isPending(C2sSession session) {
        return !session.isAuthenticated();
    }

    @Override
    public boolean accepts(Element element, C2sSession session) {
        if (session.isAuthenticated() || !Namespaces.SASL.equals(element.getNamespaceURI())) {
            return false;
        }
        String name = element.getName();
        return "auth".equals(name) || "response".equals(name) || "abort".equals(name);
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element element, C2sSession session) {
        switch (element.getName()) {
            case "abort" -> {
                exchange = null;
                return fail(session, SaslFailure.ABORTED, null);
            }
            case "auth" -> {
                return auth(element, session);
            }
            default -> {
                if (exchange == null) {
                    return fail(session, SaslFailure.MALFORMED_REQUEST, "no authentication exchange in progress");
                }
                return step(element, session);
            }
        }
    }

    private CompletionStage<FeatureOutcome> auth(Element auth, C2sSession session) {
        if (!tlsSatisfied(session)) {
            return fail(session, SaslFailure.ENCRYPTION_REQUIRED, "negotiate STARTTLS first");
        }
        if (session.context().throttle().isBlocked(session.remoteAddress())) {
            return fail(session, SaslFailure.TEMPORARY_AUTH_FAILURE,
                    "too many failed attempts from your address; try again later");
        }
        SaslContext saslContext = saslContext(session);
        Optional<SaslMechanism> mechanism = session.context().mechanisms()
                .find(auth.attributeValue("mechanism", ""), saslContext);
        if (mechanism.isEmpty()) {
            exchange = null;
            return fail(session, SaslFailure.INVALID_MECHANISM, null);
        }
        exchange = mechanism.get().start(saslContext);
        mechanismName = mechanism.get().name();
        if (auth.getText().trim().isEmpty()) {
            // RFC 6120 §6.4.2 / RFC 4422 §5: no initial response; ask for it with an empty challenge.
            Element challenge = DocumentHelper.createElement(QName.get("challenge", NS));
            challenge.setText("=");
            session.send(challenge);
            return CompletableFuture.completedFuture(FeatureOutcome.INCOMPLETE);
        }
        return step(auth, session);
    }

    private CompletionStage<FeatureOutcome> step(Element element, C2sSession session) {
        byte[] response;
        try {
            response = decode(element.getTextTrim());
        } catch (IllegalArgumentException e) {
            exchange = null;
            return fail(session, SaslFailure.INCORRECT_ENCODING, "not valid base64");
        }
        SaslServer current = exchange;
        try {
            return CompletableFuture.supplyAsync(() -> current.evaluate(response),
                            session.context().blocking())
                    .thenApplyAsync(result -> onStep(result, session), session.executor());
        } catch (RejectedExecutionException e) {
            exchange = null;
            return fail(session, SaslFailure.TEMPORARY_AUTH_FAILURE, "the server is busy; try again");
        }
    }

    private FeatureOutcome onStep(SaslStep step, C2sSession session) {
        if (step instanceof SaslStep.Challenge challenge) {
            Element element = DocumentHelper.createElement(QName.get("challenge", NS));
            element.setText(encode(challenge.data()));
            session.send(element);
            return FeatureOutcome.INCOMPLETE;
        }
        exchange = null;
        if (step instanceof SaslStep.Failure failure) {
            return failed(session, failure.failure(), failure.text());
        }
        SaslStep.Success success = (SaslStep.Success) step;
        EntityBareJid account;
        try {
            account = Jids.parseEntityBare(success.username() + "@" + session.domain());
        } catch (JidMalformedException e) {
            return failed(session, SaslFailure.NOT_AUTHORIZED, null);
        }
        session.context().throttle().recordSuccess(session.remoteAddress());
        session.context().metrics().auth().succeeded(mechanismName);
        session.authenticated(account);
        session.setMaxStanzaBytes(session.context().limits().maxStanzaSize());
        session.restartStream();
        Element element = DocumentHelper.createElement(QName.get("success", NS));
        if (success.additionalData() != null && success.additionalData().length > 0) {
            element.setText(encode(success.additionalData()));
        }
        session.send(element);
        LOG.info("{} authenticated as {}", session.remoteAddress().getHostAddress(), account);
        return FeatureOutcome.RESTART;
    }

    private FeatureOutcome failed(C2sSession session, SaslFailure failure, String text) {
        // The mechanisms report wrong credentials as not-authorized without a text; with a text
        // it is a protocol mismatch (e.g. "channel-bindings-dont-match").
        boolean wrongCredentials = failure == SaslFailure.NOT_AUTHORIZED && text == null;
        failures++;
        session.context().metrics().auth().failed(mechanismName);
        if (wrongCredentials) {
            credentialFailures++;
            session.context().throttle().recordFailure(session.remoteAddress());
        }
        sendFailure(session, failure, text);
        LOG.info("{} failed to authenticate: {}{}", session.remoteAddress().getHostAddress(), failure.elementName(),
                text == null ? "" : " (" + text + ")");
        if (credentialFailures >= MAX_CREDENTIAL_FAILURES_PER_CONNECTION || failures >= MAX_FAILURES_PER_CONNECTION) {
            session.close(StreamError.of(StreamErrorCondition.POLICY_VIOLATION,
                    "too many failed authentication attempts"));
            return FeatureOutcome.CLOSED;
        }
        return FeatureOutcome.INCOMPLETE;
    }

    private CompletionStage<FeatureOutcome> fail(C2sSession session, SaslFailure failure, String text) {
        sendFailure(session, failure, text);
        return CompletableFuture.completedFuture(FeatureOutcome.INCOMPLETE);
    }

    private static void sendFailure(C2sSession session, SaslFailure failure, String text) {
        Element element = DocumentHelper.createElement(QName.get("failure", NS));
        element.addElement(QName.get(failure.elementName(), NS));
        if (text != null) {
            element.addElement(QName.get("text", NS)).setText(text);
        }
        session.send(element);
    }

    private static boolean tlsSatisfied(C2sSession session) {
        return session.isSecure() || !session.context().starttlsRequired();
    }

    private static SaslContext saslContext(C2sSession session) {
        return new SaslContext(session.domain().toString(), session.isSecure(), session.context().credentials(),
                session.channelBindings());
    }

    /** RFC 6120 §6.4.2: "=" is an empty response; no text means no initial response. */
    private static byte[] decode(String text) {
        if (text == null || text.isEmpty() || "=".equals(text)) {
            return new byte[0];
        }
        return Base64.getDecoder().decode(text);
    }

    private static String encode(byte[] data) {
        return data == null || data.length == 0 ? "=" : Base64.getEncoder().encodeToString(data);
    }
}
