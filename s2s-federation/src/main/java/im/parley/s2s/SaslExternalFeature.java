package im.parley.s2s;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.stream.Namespaces;
import im.parley.s2s.tls.PeerCertificateVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL EXTERNAL between servers (RFC 6120 §6, XEP-0178 §3): offered once TLS is up and the
 * peer's certificate validates for the domain its header claims; succeeds when the certificate
 * validates (PKIX) and names the requested domain (RFC 6125). A failure leaves the stream open so
 * the peer can fall back to dialback (XEP-0178 §4, XEP-0220).
 */
final class SaslExternalFeature implements FeatureNegotiator<InboundSession> {

    private static final Logger LOG = LoggerFactory.getLogger(SaslExternalFeature.class);
    private static final Namespace NS = Namespace.get(Namespaces.SASL);

    @Override
    public String name() {
        return "sasl-external";
    }

    @Override
    public Element advertise(InboundSession session) {
        if (!session.isSecure() || session.isSaslDone() || session.claimedFrom() == null
                || !session.certificateFor(session.claimedFrom()).isValid()) {
            return null;
        }
        Element mechanisms = DocumentHelper.createElement(QName.get("mechanisms", NS));
        mechanisms.addElement(QName.get("mechanism", NS)).setText("EXTERNAL");
        return mechanisms;
    }

    @Override
    public boolean isPending(InboundSession session) {
        return false;
    }

    @Override
    public boolean accepts(Element element, InboundSession session) {
        return Namespaces.SASL.equals(element.getNamespaceURI()) && !session.isSaslDone()
                && ("auth".equals(element.getName()) || "abort".equals(element.getName()));
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element element, InboundSession session) {
        if ("abort".equals(element.getName())) {
            return failure(session, "aborted");
        }
        if (!"EXTERNAL".equals(element.attributeValue("mechanism")) || !session.isSecure()) {
            return failure(session, "invalid-mechanism");
        }
        String domain = requestedDomain(element.getTextTrim(), session.claimedFrom());
        if (domain == null) {
            return failure(session, "invalid-authzid");
        }
        DomainBareJid remote;
        try {
            remote = Jids.parseDomain(domain);
        } catch (JidMalformedException e) {
            return failure(session, "invalid-authzid");
        }
        if (session.router().isLocal(remote)) {
            return failure(session, "not-authorized");
        }
        PeerCertificateVerifier.Result certificate = session.certificateFor(remote.toString());
        if (!certificate.isValid()) {
            LOG.info("{}: SASL EXTERNAL for {} refused: certificate {}", session, remote, certificate);
            return failure(session, "not-authorized");
        }
        session.saslDone();
        session.authenticated(new DomainPair(session.localDomain(), remote));
        session.restartStream();
        session.send(DocumentHelper.createElement(QName.get("success", NS)));
        LOG.info("{}: {} authenticated by SASL EXTERNAL", session, remote);
        return CompletableFuture.completedFuture(FeatureOutcome.RESTART);
    }

    /**
     * XEP-0178 §3: the authorization identity is the peer's domain; an empty response ("=")
     * means the domain of the stream header. A given identity must agree with the header.
     */
    private static String requestedDomain(String response, String headerFrom) {
        if (response.isEmpty() || "=".equals(response)) {
            return headerFrom;
        }
        String authzid;
        try {
            authzid = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (headerFrom != null && !headerFrom.equalsIgnoreCase(authzid)) {
            return null;
        }
        return authzid;
    }

    private static CompletionStage<FeatureOutcome> failure(InboundSession session, String condition) {
        Element failure = DocumentHelper.createElement(QName.get("failure", NS));
        failure.addElement(QName.get(condition, NS));
        session.send(failure);
        return CompletableFuture.completedFuture(FeatureOutcome.INCOMPLETE);
    }
}
