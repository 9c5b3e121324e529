package im.parley.server.modules.presence;

import im.parley.core.negotiation.AnnouncedFeature;
import im.parley.server.c2s.C2sSession;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Advertises subscription pre-approval (RFC 6121 §3.4.1, {@code <sub
 * xmlns='urn:xmpp:features:pre-approval'/>}) with the post-authentication features; nothing is
 * negotiated.
 */
public final class PreApprovalFeature extends AnnouncedFeature<C2sSession> {

    public static final String NAMESPACE = "urn:xmpp:features:pre-approval";

    @Override
    public String name() {
        return "pre-approval";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (!session.isAuthenticated() || session.isBound()) {
            return null;
        }
        return DocumentHelper.createElement(QName.get("sub", NAMESPACE));
    }
}
