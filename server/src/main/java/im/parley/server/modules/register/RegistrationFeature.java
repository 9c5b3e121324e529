package im.parley.server.modules.register;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.StanzaErrorType;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.c2s.C2sSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * In-band registration before authentication (XEP-0077 §3.1, §3.1.1 "Registration with a
 * Server"): advertised as a voluntary stream feature (XEP-0077 §8) when the operator opened the
 * stream's domain and TLS is satisfied; answers the registration IQs a client sends before SASL.
 * A closed domain gets {@code service-unavailable} (§3.1). A configured number of accounts per
 * connection (one by default) and a bounded number of attempts per client address
 * ({@link InBandRegistration}) keep floods out.
 */
public final class RegistrationFeature implements FeatureNegotiator<C2sSession> {

    /** Failed registration IQ sets one connection may send before its stream is closed. */
    static final int MAX_ATTEMPTS_PER_CONNECTION = 5;
    private static final Namespace FEATURE_NS = Namespace.get(RegisterQueries.FEATURE_NAMESPACE);

    private final InBandRegistration registration;
    private int attempts;
    private int registered;

    /** @param registration the policy and account creation, shared by every connection */
    public RegistrationFeature(InBandRegistration registration) {
        this.registration = registration;
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (session.isAuthenticated() || !tlsSatisfied(session) || !registration.isOpenFor(session.domain())) {
            return null;
        }
        return DocumentHelper.createElement(QName.get("register", FEATURE_NS));
    }

    @Override
    public boolean isPending(C2sSession session) {
        return false;
    }

    @Override
    public boolean accepts(Element element, C2sSession session) {
        String type = element.attributeValue("type");
        return !session.isAuthenticated() && "iq".equals(element.getName())
                && Namespaces.CLIENT.equals(element.getNamespaceURI()) && ("get".equals(type) || "set".equals(type))
                && element.elements().size() == 1 && RegisterQueries.query(element) != null;
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element iq, C2sSession session) {
        if (!registration.isOpenFor(session.domain())) {
            return reply(session, RegisterQueries.error(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, null));
        }
        if (!tlsSatisfied(session)) {
            // XEP-0077 §11: registration sends the password in the clear; this server requires TLS.
            return reply(session, RegisterQueries.error(iq, StanzaErrorCondition.NOT_AUTHORIZED,
                    "negotiate STARTTLS first"));
        }
        Element query = RegisterQueries.query(iq);
        if ("get".equals(iq.attributeValue("type"))) {
            Element result = RegisterQueries.resultWithQuery(iq);
            Element fields = RegisterQueries.query(result);
            fields.addElement(QName.get("instructions", fields.getNamespace()))
                    .setText("Choose a username and password for use with this server.");
            fields.addElement(QName.get("username", fields.getNamespace()));
            fields.addElement(QName.get("password", fields.getNamespace()));
            return reply(session, result);
        }
        if (++attempts - registered > MAX_ATTEMPTS_PER_CONNECTION) {
            session.close(StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "too many registration attempts"));
            return CompletableFuture.completedFuture(FeatureOutcome.CLOSED);
        }
        if (RegisterQueries.isRemove(query)) {
            // XEP-0077 §3.2: an IM server cannot tell who an unauthenticated entity is.
            return reply(session, RegisterQueries.error(iq, StanzaErrorType.CANCEL,
                    StanzaErrorCondition.UNEXPECTED_REQUEST, "authenticate before cancelling a registration"));
        }
        if (registered >= registration.maxPerConnection()) {
            return reply(session, RegisterQueries.error(iq, StanzaErrorCondition.NOT_ACCEPTABLE,
                    "no more accounts on this connection; authenticate with one"));
        }
        String username = RegisterQueries.field(query, "username");
        String password = RegisterQueries.field(query, "password");
        if (username == null || password == null) {
            // XEP-0077 §3.1: every requested field must be provided, an empty password included.
            return reply(session, RegisterQueries.error(iq, StanzaErrorCondition.NOT_ACCEPTABLE,
                    "a username and a password are required"));
        }
        return create(iq, username, password, session);
    }

    private CompletionStage<FeatureOutcome> create(Element iq, String username, String password, C2sSession session) {
        try {
            return CompletableFuture.supplyAsync(() -> registration.register(session.domain(), username, password,
                            session.remoteAddress()), session.context().blocking())
                    .thenApplyAsync(outcome -> onOutcome(iq, outcome, session), session.executor());
        } catch (RejectedExecutionException e) {
            return reply(session, RegisterQueries.error(iq, StanzaErrorCondition.RESOURCE_CONSTRAINT,
                    "the server is busy; try again"));
        }
    }

    private FeatureOutcome onOutcome(Element iq, InBandRegistration.Outcome outcome, C2sSession session) {
        Element reply = switch (outcome) {
            case CREATED -> {
                registered++;
                yield Stanzas.iqResult(iq);  // XEP-0077 §3.1: an empty IQ result
            }
            case CONFLICT -> RegisterQueries.error(iq, StanzaErrorCondition.CONFLICT, "the username is taken");
            case USERNAME_MALFORMED -> RegisterQueries.error(iq, StanzaErrorCondition.JID_MALFORMED,
                    "not a valid username (RFC 7622 §3.3)");
            case PASSWORD_NOT_ACCEPTABLE -> RegisterQueries.error(iq, StanzaErrorCondition.NOT_ACCEPTABLE,
                    "the password is not acceptable");
            case THROTTLED -> RegisterQueries.error(iq, StanzaErrorCondition.NOT_ACCEPTABLE,
                    "too many registrations from your address; try again later");
        };
        session.send(reply);
        return FeatureOutcome.INCOMPLETE;
    }

    private static CompletionStage<FeatureOutcome> reply(C2sSession session, Element reply) {
        session.send(reply);
        return CompletableFuture.completedFuture(FeatureOutcome.INCOMPLETE);
    }

    private static boolean tlsSatisfied(C2sSession session) {
        return session.isSecure() || !session.context().starttlsRequired();
    }
}
