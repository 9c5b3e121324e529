package im.parley.server.modules.muc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * Occupant identifiers (XEP-0421): an opaque id per user and room, the same across nick changes,
 * devices and restarts, that names no real JID. §4 suggests a keyed hash of the room JID and the
 * user's real bare JID: here HMAC-SHA-256 with the service's secret (stored with the service,
 * {@link JdbcRoomStore#serviceSecret}), so the ids of one user differ from room to room.
 */
final class OccupantIds {

    static final String NS = "urn:xmpp:occupant-id:0";
    private static final QName OCCUPANT_ID = QName.get("occupant-id", NS);

    private final SecretKeySpec key;

    OccupantIds(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    String of(EntityBareJid room, EntityBareJid user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(room.toString().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(user.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /**
     * §4: "If the message or presence received by the MUC service already contains
     * {@code <occupant-id>} element, the MUC service MUST replace such element": removes every
     * one the sender put in, and adds the room's.
     */
    static void stamp(Element stanza, String id) {
        strip(stanza);
        stanza.addElement(OCCUPANT_ID).addAttribute("id", id);
    }

    static void strip(Element stanza) {
        for (Element claimed : List.copyOf(stanza.elements(OCCUPANT_ID))) {
            stanza.remove(claimed);
        }
    }
}
