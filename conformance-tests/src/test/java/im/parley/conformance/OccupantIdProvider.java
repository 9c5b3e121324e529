package im.parley.conformance;

import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.xml.XmlPullParser;

/**
 * Reads XEP-0421's {@code <occupant-id xmlns='urn:xmpp:occupant-id:0' id='…'/>}, which Parley's
 * rooms put on every presence and message. Smack 4.4 has no provider for it, and its fallback
 * ({@code StandardExtensionElementProvider}) asserts that a namespace prefix is null or not
 * empty, while the StAX parser here (Aalto, on the classpath through the server) gives ""
 * for the default namespace: with assertions on, as in tests, the reader thread dies.
 */
final class OccupantIdProvider extends ExtensionElementProvider<StandardExtensionElement> {

    static final String NAMESPACE = "urn:xmpp:occupant-id:0";

    static void register() {
        ProviderManager.addExtensionProvider("occupant-id", NAMESPACE, new OccupantIdProvider());
    }

    @Override
    public StandardExtensionElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment) {
        String id = parser.getAttributeValue("", "id");
        return StandardExtensionElement.builder("occupant-id", NAMESPACE).addAttribute("id", id == null ? "" : id)
                .build();
    }
}
