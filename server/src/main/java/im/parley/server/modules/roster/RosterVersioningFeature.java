package im.parley.server.modules.roster;

import im.parley.core.negotiation.AnnouncedFeature;
import im.parley.server.c2s.C2sSession;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Advertises roster versioning (RFC 6121 §2.6.1, {@code <ver xmlns='urn:xmpp:features:rosterver'/>})
 * with the post-authentication features; nothing is negotiated.
 */
public final class RosterVersioningFeature extends AnnouncedFeature<C2sSession> {

    public static final String NAMESPACE = "urn:xmpp:features:rosterver";

    @Override
    public String name() {
        return "rosterver";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (!session.isAuthenticated() || session.isBound()) {
            return null;
        }
        return DocumentHelper.createElement(QName.get("ver", NAMESPACE));
    }
}
