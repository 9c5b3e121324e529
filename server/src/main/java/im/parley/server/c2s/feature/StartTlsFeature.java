package im.parley.server.c2s.feature;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.c2s.C2sSession;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * STARTTLS (RFC 6120 §5.4): offered until TLS is up, mandatory-to-negotiate when the operator
 * requires it (the default). On {@code <starttls/>} the TLS handler goes in front of the
 * pipeline, {@code <proceed/>} is the last plaintext byte, and the stream restarts over TLS.
 */
public final class StartTlsFeature implements FeatureNegotiator<C2sSession> {

    private static final Namespace NS = Namespace.get(Namespaces.TLS);

    @Override
    public String name() {
        return "starttls";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (session.isSecure() || !session.transport().canStartTls() || tlsContext(session).isEmpty()) {
            return null;
        }
        Element starttls = DocumentHelper.createElement(QName.get("starttls", NS));
        if (session.context().starttlsRequired()) {
            starttls.addElement(QName.get("required", NS));
        }
        return starttls;
    }

    @Override
    public boolean isPending(C2sSession session) {
        return session.context().starttlsRequired() && !session.isSecure() && session.transport().canStartTls();
    }

    @Override
    public boolean accepts(Element element, C2sSession session) {
        return "starttls".equals(element.getName()) && Namespaces.TLS.equals(element.getNamespaceURI())
                && !session.isSecure() && session.transport().canStartTls();
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element element, C2sSession session) {
        Optional<SslContext> tls = tlsContext(session);
        if (tls.isEmpty()) {
            // RFC 6120 §5.4.2.2: <failure/>, then the stream and the connection close.
            session.send(DocumentHelper.createElement(QName.get("failure", NS)));
            session.transport().closeAfterFlush();
            return CompletableFuture.completedFuture(FeatureOutcome.CLOSED);
        }
        if (!session.dropBufferedWhitespace()) {
            // RFC 6120 §5.4.3.3: nothing may follow <starttls/> before <proceed/>; anything but
            // whitespace that did is a plaintext injection attempt (CVE-2011-0411).
            session.close(StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "data after <starttls/>"));
            return CompletableFuture.completedFuture(FeatureOutcome.CLOSED);
        }
        session.transport().startTls(tls.get());
        session.restartStream();
        session.send(DocumentHelper.createElement(QName.get("proceed", NS)));
        return CompletableFuture.completedFuture(FeatureOutcome.RESTART);
    }

    private static Optional<SslContext> tlsContext(C2sSession session) {
        return session.domain() == null ? Optional.empty() : session.context().tls().forDomain(session.domain());
    }
}
