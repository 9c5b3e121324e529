package im.parley.server.modules.csi;

import im.parley.core.negotiation.FeatureOutcome;
import im.parley.server.c2s.C2sSession;
import im.parley.server.c2s.EstablishedStreamFeature;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * XEP-0352 client state indication: the {@code <csi xmlns='urn:xmpp:csi:0'/>} stream feature
 * (§5, offered once the client has authenticated) and the {@code <inactive/>} and
 * {@code <active/>} nonzas of a bound session (§4). While inactive, the session's
 * {@link ClientStateBuffer} holds back what the client does not need at once.
 */
public final class ClientStateFeature implements EstablishedStreamFeature {

    public static final String NS = "urn:xmpp:csi:0";

    private final int maxBuffered;

    /** @param maxBuffered most stanzas held back per inactive session ({@code client_state.max_buffered}) */
    public ClientStateFeature(int maxBuffered) {
        this.maxBuffered = maxBuffered;
    }

    @Override
    public String name() {
        return "csi";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (!session.isAuthenticated() || session.isBound()) {
            return null;
        }
        return DocumentHelper.createElement(QName.get("csi", Namespace.get(NS)));
    }

    @Override
    public boolean isPending(C2sSession session) {
        return false;
    }

    @Override
    public boolean accepts(Element element, C2sSession session) {
        return session.isBound() && NS.equals(element.getNamespaceURI())
                && ("active".equals(element.getName()) || "inactive".equals(element.getName()));
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element element, C2sSession session) {
        ClientStateBuffer buffer = session.interceptor(ClientStateBuffer.class).orElseGet(() -> {
            ClientStateBuffer created = new ClientStateBuffer(maxBuffered);
            session.addInterceptor(created);
            return created;
        });
        if ("inactive".equals(element.getName())) {
            buffer.inactive();
        } else {
            buffer.active(session);
        }
        return CompletableFuture.completedFuture(FeatureOutcome.SUCCESS);
    }
}
