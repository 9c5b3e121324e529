package im.parley.server.http;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.c2s.C2sContext;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes again what a BOSH client never received, as if it had been sent to an unavailable
 * resource (RFC 6121 §8.5.2, §8.5.3): chat and normal messages go to the bare JID, where
 * another resource or offline storage (XEP-0160) takes them; IQ requests are answered with
 * {@code service-unavailable}; everything else is dropped.
 */
final class UndeliveredStanzaRouter {

    private static final Logger LOG = LoggerFactory.getLogger(UndeliveredStanzaRouter.class);

    private final C2sContext context;
    private final String sid;

    /** @param sid the BOSH session's id, for the log */
    UndeliveredStanzaRouter(C2sContext context, String sid) {
        this.context = context;
        this.sid = sid;
    }

    /** @param jid the full JID the stanza was for; nothing is routed before one is bound */
    void route(EntityFullJid jid, Element stanza) {
        if (jid == null || !Namespaces.CLIENT.equals(stanza.getNamespaceURI())) {
            return;
        }
        String type = stanza.attributeValue("type");
        try {
            String from = stanza.attributeValue("from");
            Jid sender = from == null ? null : Jids.parse(from);
            if ("message".equals(stanza.getName()) && (type == null || "chat".equals(type) || "normal".equals(type))) {
                EntityBareJid bare = jid.asEntityBareJid();
                Element copy = stanza.createCopy();
                copy.addAttribute("to", bare.toString());
                context.router().route(new Stanza(copy, sender, bare));
            } else if ("iq".equals(stanza.getName()) && sender != null && ("get".equals(type) || "set".equals(type))) {
                Element reply = Stanzas.errorReply(stanza, StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE));
                context.router().route(new Stanza(reply, jid, sender));
            }
        } catch (JidMalformedException e) {
            LOG.debug("BOSH session {}: undelivered stanza with a bad sender dropped", sid);
        }
    }
}
