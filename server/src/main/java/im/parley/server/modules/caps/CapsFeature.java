package im.parley.server.modules.caps;

import im.parley.core.negotiation.AnnouncedFeature;
import im.parley.server.c2s.C2sSession;
import im.parley.server.modules.disco.ServerInfo;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Advertises the server's entity capabilities in the stream features once the client has
 * authenticated (XEP-0115 §6.3, "Stream Feature"), so that clients can skip the disco#info
 * round trip when they have seen this {@code ver} before. Nothing is negotiated.
 */
public final class CapsFeature extends AnnouncedFeature<C2sSession> {

    private static final Namespace NS = Namespace.get(CapsVerification.NAMESPACE);

    private final ServerInfo serverInfo;

    public CapsFeature(ServerInfo serverInfo) {
        this.serverInfo = serverInfo;
    }

    @Override
    public String name() {
        return "caps";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (!session.isAuthenticated()) {
            return null;
        }
        Element c = DocumentHelper.createElement(QName.get("c", NS));
        c.addAttribute("hash", CapsVerification.HASH);
        c.addAttribute("node", CapsVerification.NODE);
        // The modules of the first hosted domain offer the stream features (ModuleContext#addStreamFeature);
        // every hosted domain runs the same modules, so its capabilities are those of any domain.
        c.addAttribute("ver", serverInfo.capsVer());
        return c;
    }
}
