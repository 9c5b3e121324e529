package im.parley.server.modules.push;

import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;

/**
 * A message a user should be woken for: XEP-0357 §7 leaves the choice to the server; like
 * Prosody's mod_cloud_notify, Parley pushes for messages with a body, end-to-end encrypted
 * messages (whose body is a fallback or absent), call proposals (XEP-0353), and carbon copies of
 * such messages another client received (XEP-0280). Chat states, receipts, markers and errors
 * wake nobody.
 *
 * @param sender the {@code from} of the message (for {@code last-message-sender})
 * @param body its body, or null (for {@code last-message-body}, when allowed)
 */
record PushWorthyMessage(String sender, String body) {

    private static final Set<String> ENCRYPTED = Set.of(
            "eu.siacs.conversations.axolotl", "urn:xmpp:omemo:2", "urn:xmpp:openpgp:0", "jabber:x:encrypted");
    private static final String JINGLE_MESSAGE = "urn:xmpp:jingle-message:0";
    private static final String CARBONS = "urn:xmpp:carbons:2";
    private static final String FORWARD = "urn:xmpp:forward:0";

    static Optional<PushWorthyMessage> of(Element stanza) {
        if (!"message".equals(stanza.getName())) {
            return Optional.empty();
        }
        String type = stanza.attributeValue("type");
        if ("error".equals(type) || "headline".equals(type)) {
            return Optional.empty();
        }
        Element carbon = stanza.element(QNames.of("received", CARBONS));
        if (carbon != null) {
            Element forwarded = carbon.element(QNames.of("forwarded", FORWARD));
            Element inner = forwarded == null ? null : forwarded.element("message");
            return inner == null ? Optional.empty() : of(inner);
        }
        String body = stanza.elementText("body");
        boolean worthy = body != null
                || stanza.elements().stream().anyMatch(child -> ENCRYPTED.contains(child.getNamespaceURI()))
                || stanza.element(QNames.of("propose", JINGLE_MESSAGE)) != null;
        return worthy ? Optional.of(new PushWorthyMessage(stanza.attributeValue("from"), body)) : Optional.empty();
    }
}
