package im.parley.s2s;

import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * STARTTLS on an inbound s2s stream (RFC 6120 §5.4), mandatory-to-negotiate unless the operator
 * switched {@code require_encryption} off. The server context asks for the peer's certificate,
 * which SASL EXTERNAL then relies on (XEP-0178 §3).
 */
final class InboundStartTlsFeature implements FeatureNegotiator<InboundSession> {

    private static final Namespace NS = Namespace.get(Namespaces.TLS);

    @Override
    public String name() {
        return "starttls";
    }

    @Override
    public Element advertise(InboundSession session) {
        if (session.isSecure() || tls(session).isEmpty()) {
            return null;
        }
        Element starttls = DocumentHelper.createElement(QName.get("starttls", NS));
        if (session.settings().requireEncryption()) {
            starttls.addElement(QName.get("required", NS));
        }
        return starttls;
    }

    @Override
    public boolean isPending(InboundSession session) {
        return session.settings().requireEncryption() && !session.isSecure();
    }

    @Override
    public boolean accepts(Element element, InboundSession session) {
        return "starttls".equals(element.getName()) && Namespaces.TLS.equals(element.getNamespaceURI())
                && !session.isSecure();
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element element, InboundSession session) {
        Optional<SslContext> tls = tls(session);
        if (tls.isEmpty()) {
            session.send(DocumentHelper.createElement(QName.get("failure", NS)));
            session.channel().close();
            return CompletableFuture.completedFuture(FeatureOutcome.CLOSED);
        }
        if (!session.dropBufferedWhitespace()) {
            // RFC 6120 §5.4.3.3: nothing may follow <starttls/> before <proceed/> (CVE-2011-0411).
            session.close(StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "data after <starttls/>"));
            return CompletableFuture.completedFuture(FeatureOutcome.CLOSED);
        }
        session.channel().pipeline().addFirst("tls",
                new io.netty.handler.ssl.SslHandler(tls.get().newEngine(session.channel().alloc()), true));
        session.restartStream();
        session.send(DocumentHelper.createElement(QName.get("proceed", NS)));
        return CompletableFuture.completedFuture(FeatureOutcome.RESTART);
    }

    private static Optional<SslContext> tls(InboundSession session) {
        return session.localDomain() == null ? Optional.empty() : session.router().tls().server(session.localDomain());
    }
}
