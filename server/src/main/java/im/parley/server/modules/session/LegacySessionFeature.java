package im.parley.server.modules.session;

import im.parley.core.negotiation.AnnouncedFeature;
import im.parley.core.stream.Namespaces;
import im.parley.server.c2s.C2sSession;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Advertises the legacy session establishment feature as optional
 * (draft-cridland-xmpp-session-01 §2, {@code <optional/>}), alongside resource binding: old
 * clients such as libpurple still send the session IQ, which the legacy-session module answers
 * once the stream is established. Nothing is negotiated here.
 */
public final class LegacySessionFeature extends AnnouncedFeature<C2sSession> {

    private static final Namespace NS = Namespace.get(Namespaces.SESSION);

    @Override
    public String name() {
        return "session";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (!session.isAuthenticated() || session.isBound()) {
            return null;
        }
        Element element = DocumentHelper.createElement(QName.get("session", NS));
        element.addElement(QName.get("optional", NS));
        return element;
    }
}
