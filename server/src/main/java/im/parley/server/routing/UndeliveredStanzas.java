package im.parley.server.routing;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import java.util.List;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to the stanzas a session never got to its client when it ends: those stream
 * management still held (unacknowledged, or queued while hibernated), and those routed to it while
 * its stream was closing or after it ended ({@code C2sSession}). XEP-0198 §5: "the server SHOULD treat unacknowledged stanzas in the
 * same way that it would treat a stanza sent to an unavailable resource" — so chat and normal
 * messages are routed again to the account's bare JID, after the session was unbound: another
 * resource or offline storage (RFC 6121 §8.5.2.2.1) takes them, each exactly once, as a
 * {@linkplain DefaultStanzaRouter#redeliver redelivery} (archived once, with the stanza id the
 * first delivery carried). IQ requests get
 * {@code service-unavailable} (RFC 6120 §8.5.3.1 / RFC 6121 §8.5.3.2.1); presence, headlines,
 * groupchat messages and errors are dropped, as they would be for an unavailable resource.
 *
 * <p>Copies made for this session alone are dropped too: a carbon copy (XEP-0280 §6, §7) is
 * this session's copy of a message that went to its recipient, and to the archive; a result of
 * an archive query (XEP-0313 §4.2) answers this session's query. Routed again they would come
 * back to the account as a second copy, to its bare JID, at the next login (Prosody's and
 * ejabberd's stream management drop them likewise).
 */
public final class UndeliveredStanzas {

    private static final Logger LOG = LoggerFactory.getLogger(UndeliveredStanzas.class);
    private static final String CARBONS = "urn:xmpp:carbons:2";
    /** {@code urn:xmpp:mam:2} and the versions before it a client may still query with. */
    private static final String MAM_PREFIX = "urn:xmpp:mam:";

    private UndeliveredStanzas() {
    }

    /** Routes {@code stanzas} again for {@code account}, whose session is unbound now (see the class comment). */
    public static void reroute(List<Element> stanzas, EntityBareJid account, DefaultStanzaRouter router) {
        for (Element stanza : stanzas) {
            try {
                reroute(stanza, account, router);
            } catch (RuntimeException e) {
                LOG.warn("cannot reroute an undelivered stanza for {}: {}", account, stanza.asXML(), e);
            }
        }
    }

    private static void reroute(Element stanza, EntityBareJid account, DefaultStanzaRouter router) {
        Jid from = jid(stanza.attributeValue("from"));
        if (from == null) {
            return;
        }
        String type = Stanzas.type(stanza);
        if ("message".equals(stanza.getName()) && (type == null || "chat".equals(type) || "normal".equals(type))
                && !isCopyForThisSession(stanza)) {
            Element copy = stanza.createCopy();
            copy.addAttribute("to", account.toString());
            router.redeliver(new Stanza(copy, from, account));
        } else if ("iq".equals(stanza.getName()) && ("get".equals(type) || "set".equals(type))) {
            Element reply = Stanzas.errorReply(stanza, StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE));
            Jid replyFrom = jid(stanza.attributeValue("to"));
            router.route(new Stanza(reply, replyFrom, from));
        }
    }

    /** A carbon copy (XEP-0280 {@code <sent/>}, {@code <received/>}) or an archive query's result (XEP-0313). */
    private static boolean isCopyForThisSession(Element message) {
        for (Element child : message.elements()) {
            String namespace = child.getNamespaceURI();
            if (CARBONS.equals(namespace) && ("sent".equals(child.getName()) || "received".equals(child.getName()))
                    || "result".equals(child.getName()) && namespace.startsWith(MAM_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    private static Jid jid(String value) {
        try {
            return value == null ? null : Jids.parse(value);
        } catch (JidMalformedException e) {
            return null;
        }
    }
}
