package im.parley.server.c2s.feature;

import im.parley.core.negotiation.AnnouncedFeature;
import im.parley.server.c2s.C2sSession;
import java.util.Set;
import java.util.TreeSet;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Announces the channel binding types this TLS connection supports (XEP-0440 §3), next to the
 * SASL mechanisms, so clients pick a type the server can verify for SCRAM-*-PLUS.
 */
public final class ChannelBindingTypesFeature extends AnnouncedFeature<C2sSession> {

    public static final String NAMESPACE = "urn:xmpp:sasl-cb:0";
    private static final Namespace NS = Namespace.get(NAMESPACE);

    @Override
    public String name() {
        return "sasl-channel-binding";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (session.isAuthenticated() || !session.isSecure()) {
            return null;
        }
        Set<String> types = new TreeSet<>(session.channelBindings().supportedTypes());
        if (types.isEmpty()) {
            return null;
        }
        Element element = DocumentHelper.createElement(QName.get("sasl-channel-binding", NS));
        for (String type : types) {
            element.addElement(QName.get("channel-binding", NS)).addAttribute("type", type);
        }
        return element;
    }
}
