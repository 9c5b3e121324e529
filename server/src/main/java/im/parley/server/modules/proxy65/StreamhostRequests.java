package im.parley.server.modules.proxy65;

import static im.parley.server.module.IqReplies.done;
import static im.parley.server.module.IqReplies.payload;
import static im.parley.server.module.IqReplies.result;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.IqReplies;
import im.parley.server.module.ModuleContext;
import im.parley.server.modules.disco.ServerInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;

/**
 * The XMPP side of a proxy's component host ({@code proxy.<domain>}): its service discovery
 * (XEP-0065 §4: identity proxy/bytestreams), its network address (§4: the {@code <streamhost/>}
 * with jid, host and port) and the activation of a bytestream (§6.3.5). Who may use it is
 * {@code allowed}; anyone else gets {@code forbidden} (§4: "If the Requester does not have
 * permissions to initiate bytestreams on the Proxy ... the Proxy MUST return a forbidden error").
 */
final class StreamhostRequests {

    private static final Namespace BYTESTREAMS = Namespace.get(Proxy65Module.NAMESPACE);
    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);

    private final DomainBareJid service;
    private final String host;
    /** The listener's port, known once it is bound. */
    private final IntSupplier port;
    private final Predicate<Jid> allowed;
    private final Bytestreams bytestreams;

    StreamhostRequests(DomainBareJid service, String host, IntSupplier port, Predicate<Jid> allowed,
                       Bytestreams bytestreams) {
        this.service = service;
        this.host = host;
        this.port = port;
        this.allowed = allowed;
        this.bytestreams = bytestreams;
    }

    void register(ModuleContext context) {
        context.handleServerIq(ServerInfo.DISCO_INFO, iq -> done(info(iq)));
        context.handleServerIq(ServerInfo.DISCO_ITEMS, iq -> done(items(iq)));
        context.handleServerIq(Proxy65Module.NAMESPACE, this::bytestreams);
    }

    private Element info(Stanza iq) {
        if (!"get".equals(iq.type()) || payload(iq).attributeValue("node") != null) {
            return error(iq, "get".equals(iq.type()) ? StanzaErrorCondition.ITEM_NOT_FOUND
                    : StanzaErrorCondition.BAD_REQUEST, null);
        }
        Element query = DocumentHelper.createElement(QName.get("query", INFO));
        query.addElement(QName.get("identity", INFO)).addAttribute("category", "proxy")
                .addAttribute("type", "bytestreams").addAttribute("name", "SOCKS5 Bytestreams Service");
        for (String feature : new String[] {ServerInfo.DISCO_INFO, ServerInfo.DISCO_ITEMS, Proxy65Module.NAMESPACE}) {
            query.addElement(QName.get("feature", INFO)).addAttribute("var", feature);
        }
        return result(iq, query);
    }

    private Element items(Stanza iq) {
        if (!"get".equals(iq.type()) || payload(iq).attributeValue("node") != null) {
            return error(iq, "get".equals(iq.type()) ? StanzaErrorCondition.ITEM_NOT_FOUND
                    : StanzaErrorCondition.BAD_REQUEST, null);
        }
        return result(iq, DocumentHelper.createElement(QName.get("query", Namespace.get(ServerInfo.DISCO_ITEMS))));
    }

    /** A request in the bytestreams namespace: the address (§4) or an activation (§6.3.5). */
    CompletionStage<Element> bytestreams(Stanza iq) {
        if (!"query".equals(payload(iq).getName())) {
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST, "expected <query/>"));
        }
        if (iq.from() == null || !allowed.test(iq.from())) {
            return done(error(iq, StanzaErrorCondition.FORBIDDEN, "this proxy serves the users of its server only"));
        }
        return "get".equals(iq.type()) ? done(streamhost(iq)) : activate(iq);
    }

    /** §4: "the <streamhost/> element MUST possess the following attributes: host, jid, port". */
    private Element streamhost(Stanza iq) {
        Element query = DocumentHelper.createElement(QName.get("query", BYTESTREAMS));
        query.addElement(QName.get("streamhost", BYTESTREAMS)).addAttribute("jid", service.toString())
                .addAttribute("host", host).addAttribute("port", Integer.toString(port.getAsInt()));
        return result(iq, query);
    }

    /**
     * §6.3.5: the Proxy hashes "the SID + Requester JID + Target JID" with the {@code from} of the
     * request; item-not-found when no connection asked for that hash, not-allowed when only one
     * party is connected. The result goes once both sides relay.
     */
    private CompletionStage<Element> activate(Stanza iq) {
        Element query = payload(iq);
        String sid = query.attributeValue("sid");
        String target = query.elementTextTrim("activate");
        if (sid == null || sid.isEmpty() || target == null || target.isEmpty()) {
            return done(error(iq, StanzaErrorCondition.BAD_REQUEST,
                    "activation needs a sid and <activate/> with the target"));
        }
        Jid targetJid;
        try {
            targetJid = Jids.parse(target);
        } catch (JidMalformedException e) {
            return done(error(iq, StanzaErrorCondition.JID_MALFORMED, "not a JID: " + target));
        }
        Bytestreams.Outcome outcome = bytestreams.activate(hash(sid, iq.from(), targetJid));
        return outcome.relaying().thenApply(relaying -> answer(iq, outcome.activation(), targetJid));
    }

    private static Element answer(Stanza iq, Bytestreams.Activation activation, Jid targetJid) {
        return switch (activation) {
            case ACTIVATED -> Stanzas.iqResult(iq.element());
            case NO_SUCH_STREAM -> error(iq, StanzaErrorCondition.ITEM_NOT_FOUND,
                    "no connection for this stream from you to " + targetJid);
            case ONE_PARTY_ONLY -> error(iq, StanzaErrorCondition.NOT_ALLOWED, "only one party is connected");
            case ALREADY_ACTIVE -> error(iq, StanzaErrorCondition.NOT_ALLOWED, "the stream is already active");
            case TOO_MANY_TRANSFERS -> error(iq, StanzaErrorCondition.RESOURCE_CONSTRAINT,
                    "the proxy relays as many streams as it may; try again later");
        };
    }

    /** §5.3.2: "SHA1(SID + Requester JID + Target JID) ... hexadecimal-encoded", of the prepared JIDs. */
    static String hash(String sid, Jid requester, Jid target) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((sid + requester + target).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    /**
     * An error without the request's payload (RFC 6120 §8.3.1 makes echoing it optional): Smack
     * 4.4's bytestreams parser fails on an echoed {@code <activate/>} and drops its connection.
     */
    private static Element error(Stanza iq, StanzaErrorCondition condition, String text) {
        Element reply = IqReplies.error(iq, condition, text);
        reply.remove(reply.elements().get(0));
        return reply;
    }
}
