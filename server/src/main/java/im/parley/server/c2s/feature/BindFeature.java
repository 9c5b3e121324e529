package im.parley.server.c2s.feature;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.negotiation.FeatureNegotiator;
import im.parley.core.negotiation.FeatureOutcome;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.c2s.C2sSession;
import im.parley.server.session.LocalSession;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Resource binding (RFC 6120 §7): the client's resource if it asked for one (§7.7.2), or one the
 * server generates (§7.6). A conflict with a session already bound to the same full JID is
 * resolved the way Prosody and ejabberd do by default: the older session is closed with a
 * {@code <conflict/>} stream error (§7.7.2.2, "override").
 */
public final class BindFeature implements FeatureNegotiator<C2sSession> {

    /** Most resources one account may bind at once; more get {@code resource-constraint} (§7.6.2.1). */
    public static final int MAX_RESOURCES_PER_ACCOUNT = 64;

    private static final Namespace NS = Namespace.get(Namespaces.BIND);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String name() {
        return "bind";
    }

    @Override
    public Element advertise(C2sSession session) {
        if (!session.isAuthenticated() || session.isBound()) {
            return null;
        }
        return DocumentHelper.createElement(QName.get("bind", NS));
    }

    @Override
    public boolean isPending(C2sSession session) {
        return !session.isBound();
    }

    @Override
    public boolean accepts(Element element, C2sSession session) {
        return session.isAuthenticated() && !session.isBound() && "iq".equals(element.getName())
                && Namespaces.CLIENT.equals(element.getNamespaceURI()) && "set".equals(element.attributeValue("type"))
                && element.element(QName.get("bind", NS)) != null;
    }

    @Override
    public CompletionStage<FeatureOutcome> process(Element iq, C2sSession session) {
        String requested = iq.element(QName.get("bind", NS)).elementTextTrim(QName.get("resource", NS));
        Resourcepart resource;
        try {
            resource = requested == null || requested.isEmpty() ? generated() : Jids.resourcepart(requested);
        } catch (JidMalformedException e) {
            // RFC 6120 §7.7.2.1: a resourcepart that cannot be prepared.
            return error(session, iq, StanzaErrorCondition.BAD_REQUEST, e.getMessage());
        }
        var sessions = session.context().sessions();
        if (sessions.sessionsOf(session.authenticatedAccount()).size() >= MAX_RESOURCES_PER_ACCOUNT
                && !sessions.isBound(Jids.full(session.authenticatedAccount(), resource))) {
            return error(session, iq, StanzaErrorCondition.RESOURCE_CONSTRAINT,
                    "too many resources bound for this account");
        }
        EntityFullJid full = Jids.full(session.authenticatedAccount(), resource);
        session.bound(full);
        Optional<LocalSession> replaced = sessions.bind(session);
        replaced.ifPresent(old -> old.close(StreamError.of(StreamErrorCondition.CONFLICT,
                "replaced by a new connection with the same resource")));
        Element result = Stanzas.iqResult(iq);
        removeAttribute(result, "from");
        removeAttribute(result, "to");
        result.addElement(QName.get("bind", NS)).addElement(QName.get("jid", NS)).setText(full.toString());
        session.send(result);
        return CompletableFuture.completedFuture(FeatureOutcome.SUCCESS);
    }

    private static CompletionStage<FeatureOutcome> error(C2sSession session, Element iq, StanzaErrorCondition condition,
                                                         String text) {
        Element reply = Stanzas.errorReply(iq, StanzaError.of(condition, text));
        removeAttribute(reply, "from");
        session.send(reply);
        return CompletableFuture.completedFuture(FeatureOutcome.INCOMPLETE);
    }

    private static void removeAttribute(Element element, String name) {
        var attribute = element.attribute(name);
        if (attribute != null) {
            element.remove(attribute);
        }
    }

    private static Resourcepart generated() throws JidMalformedException {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return Jids.resourcepart("parley-" + HexFormat.of().formatHex(bytes));
    }
}
