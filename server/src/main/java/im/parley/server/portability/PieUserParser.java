package im.parley.server.portability;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Turns a {@code <user/>} element of XEP-0227 into a {@link PieUser}, checking every part, so
 * that a bad record is refused before anything of it is stored. The element names follow
 * XEP-0227 version 1.1 and what Prosody 0.12 and ejabberd 23.01 write.
 */
final class PieUserParser {

    private final Clock clock;

    PieUserParser(Clock clock) {
        this.clock = clock;
    }

    /** A record that cannot be imported; the message says why. */
    static final class BadRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        BadRecordException(String message) {
            super(message);
        }
    }

    PieUser parse(String host, Element user) throws BadRecordException {
        String name = user.attributeValue("name");
        if (name == null || name.isEmpty()) {
            throw new BadRecordException("a <user/> of host " + host + " has no name attribute (XEP-0227 §4.2)");
        }
        EntityBareJid jid = entityJid(name + "@" + host, "user name");
        List<ScramCredential> scram = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<RosterItem> roster = new ArrayList<>();
        List<PieUser.PendingRequest> pending = new ArrayList<>();
        List<PieUser.PrivateEntry> privateXml = new ArrayList<>();
        List<PieUser.OfflineEntry> offline = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Optional<String> vcard = Optional.empty();
        boolean disabled = false;
        for (Element child : user.elements()) {
            String ns = child.getNamespaceURI();
            String local = child.getName();
            if (PieNames.SCRAM.equals(ns) && "scram-credentials".equals(local)) {
                scramCredential(child, notes).ifPresent(scram::add);
            } else if (PieNames.ROSTER.equals(ns) && "query".equals(local)) {
                for (Element item : child.elements("item")) {
                    roster.add(rosterItem(item));
                }
            } else if ("presence".equals(local) && isClientOrPie(ns)) {
                pendingRequest(child, jid).ifPresent(pending::add);
            } else if (PieNames.VCARD.equals(ns) && "vCard".equals(local)) {
                vcard = Optional.of(child.createCopy().asXML());
            } else if (PieNames.PRIVATE.equals(ns) && "query".equals(local)) {
                for (Element fragment : child.elements()) {
                    privateXml.add(new PieUser.PrivateEntry(fragment.getNamespaceURI(), fragment.getName(),
                            fragment.createCopy().asXML()));
                }
            } else if ("offline-messages".equals(local) && isClientOrPie(ns)) {
                for (Element message : child.elements()) {
                    offline.add(offlineMessage(message, host));
                }
            } else if (PieNames.PARLEY.equals(ns) && "disabled".equals(local)) {
                disabled = true;
            } else {
                ignored.add("<" + local + " xmlns='" + ns + "'/>");
            }
        }
        return new PieUser(jid, Optional.ofNullable(user.attributeValue("password")).filter(p -> !p.isEmpty()),
                scram, notes, disabled, roster, pending, vcard, privateXml, offline, ignored);
    }

    /**
     * XEP-0227 §4.2 (version 1.1): {@code <scram-credentials mechanism='SCRAM-SHA-1'>} with
     * {@code iter-count}, {@code salt}, {@code server-key} and {@code stored-key} (base64). A
     * mechanism Parley has no SCRAM hash for is noted, not fatal: the account may have others.
     */
    private static Optional<ScramCredential> scramCredential(Element element, List<String> notes)
            throws BadRecordException {
        String mechanism = element.attributeValue("mechanism");
        ScramHash hash = null;
        for (ScramHash candidate : ScramHash.values()) {
            if (candidate.mechanismName().equals(mechanism)) {
                hash = candidate;
            }
        }
        if (hash == null) {
            notes.add("credentials for " + mechanism + " cannot be used (Parley stores SCRAM-SHA-1, -256 and -512)");
            return Optional.empty();
        }
        try {
            int iterations = Integer.parseInt(text(element, "iter-count"));
            byte[] salt = base64(text(element, "salt"));
            byte[] storedKey = base64(text(element, "stored-key"));
            byte[] serverKey = base64(text(element, "server-key"));
            if (storedKey.length != hash.outputLength() && serverKey.length != hash.outputLength()) {
                // ejabberd 23.01 writes salt and keys base64-encoded twice (they are base64 in its database).
                try {
                    byte[] stored = base64(new String(storedKey, StandardCharsets.US_ASCII));
                    byte[] server = base64(new String(serverKey, StandardCharsets.US_ASCII));
                    if (stored.length == hash.outputLength() && server.length == hash.outputLength()) {
                        storedKey = stored;
                        serverKey = server;
                        salt = base64(new String(salt, StandardCharsets.US_ASCII));
                    }
                } catch (IllegalArgumentException notTwice) {
                    // reported below as keys of the wrong length
                }
            }
            if (storedKey.length != hash.outputLength() || serverKey.length != hash.outputLength()) {
                throw new BadRecordException(mechanism + " keys are not " + hash.outputLength() + " bytes long");
            }
            return Optional.of(new ScramCredential(hash, salt, iterations, storedKey, serverKey));
        } catch (IllegalArgumentException e) {
            throw new BadRecordException("malformed " + mechanism + " credentials: " + e.getMessage());
        }
    }

    private static String text(Element parent, String child) throws BadRecordException {
        Element element = parent.element(child);
        if (element == null) {
            throw new BadRecordException(parent.attributeValue("mechanism") + " credentials without <" + child + "/>");
        }
        return element.getTextTrim();
    }

    private static byte[] base64(String text) {
        return Base64.getMimeDecoder().decode(text);
    }

    /** XEP-0227 §4.3: the roster as RFC 6121 §2.1.2 items, with their subscription states. */
    private static RosterItem rosterItem(Element item) throws BadRecordException {
        BareJid contact = bareJid(item.attributeValue("jid"), "roster item jid");
        Set<String> groups = new LinkedHashSet<>();
        for (Element group : item.elements("group")) {
            if (!group.getText().isEmpty()) {
                groups.add(group.getText());
            }
        }
        String subscription = Optional.ofNullable(item.attributeValue("subscription")).orElse("none");
        Subscription state;
        try {
            state = Subscription.fromAttributeValue(subscription);
        } catch (IllegalArgumentException e) {
            throw new BadRecordException("roster item " + contact + " has subscription '" + subscription
                    + "' (RFC 6121 §2.1.2.5: none, to, from or both)");
        }
        String name = item.attributeValue("name");
        return new RosterItem(contact, name == null || name.isEmpty() ? null : name, groups, state,
                "subscribe".equals(item.attributeValue("ask")), "true".equals(item.attributeValue("approved")));
    }

    /**
     * XEP-0227 §4.8: an incoming subscription request is the {@code subscribe} presence itself.
     * Prosody writes it without a namespace of its own, which puts it in the file's; it is
     * stored in jabber:client, addressed to the user, as Parley stores requests it receives.
     */
    private static Optional<PieUser.PendingRequest> pendingRequest(Element presence, EntityBareJid owner)
            throws BadRecordException {
        if (!"subscribe".equals(presence.attributeValue("type"))) {
            return Optional.empty();
        }
        BareJid from = bareJid(presence.attributeValue("from"), "subscription request from");
        Element stanza = inClientNamespace(presence);
        stanza.addAttribute("from", from.toString());
        stanza.addAttribute("to", owner.toString());
        return Optional.of(new PieUser.PendingRequest(from, stanza.asXML()));
    }

    /**
     * XEP-0227 §4.4: each offline message is the stanza as stored, its XEP-0203 delay saying
     * when. The delay the exporting server added is taken off and its stamp kept: Parley adds
     * its own on delivery (XEP-0160 §2), and one stanza must not say it was delayed twice.
     */
    private PieUser.OfflineEntry offlineMessage(Element message, String host) throws BadRecordException {
        Element stanza = inClientNamespace(message);
        Instant storedAt = clock.instant();
        for (Element delay : stanza.elements(QName.get("delay", PieNames.DELAY))) {
            String from = delay.attributeValue("from");
            if (from == null || from.equals(host)) {
                try {
                    storedAt = OffsetDateTime.parse(delay.attributeValue("stamp")).toInstant();
                } catch (DateTimeParseException | NullPointerException e) {
                    throw new BadRecordException("offline message with a malformed delay stamp '"
                            + delay.attributeValue("stamp") + "' (XEP-0082 DateTime)");
                }
                stanza.remove(delay);
            }
        }
        return new PieUser.OfflineEntry(stanza.asXML(), storedAt);
    }

    private static boolean isClientOrPie(String ns) {
        return PieNames.CLIENT.equals(ns) || PieNames.PIE_NAMESPACES.contains(ns);
    }

    /** A copy of the stanza with itself (and children that inherited its namespace) in jabber:client. */
    private static Element inClientNamespace(Element stanza) {
        Element copy = stanza.createCopy();
        moveNamespace(copy, stanza.getNamespace(), Namespace.get(PieNames.CLIENT));
        return copy;
    }

    private static void moveNamespace(Element element, Namespace from, Namespace to) {
        if (element.getNamespace().equals(from)) {
            element.setQName(QName.get(element.getName(), to));
        }
        for (Element child : element.elements()) {
            moveNamespace(child, from, to);
        }
    }

    private static EntityBareJid entityJid(String text, String what) throws BadRecordException {
        try {
            return Jids.parseEntityBare(text);
        } catch (JidMalformedException e) {
            throw new BadRecordException(what + ": " + e.getMessage());
        }
    }

    private static BareJid bareJid(String text, String what) throws BadRecordException {
        if (text == null) {
            throw new BadRecordException(what + " is missing");
        }
        try {
            return Jids.parse(text).asBareJid();
        } catch (JidMalformedException e) {
            throw new BadRecordException(what + ": " + e.getMessage());
        }
    }
}
