package im.parley.server.modules.disco;

import static im.parley.server.module.IqReplies.done;
import static im.parley.server.module.IqReplies.error;
import static im.parley.server.module.IqReplies.result;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.c2s.C2sFeatures;
import im.parley.server.host.Host;
import im.parley.server.module.DiscoIdentity;
import im.parley.server.module.ModuleContext;
import im.parley.server.modules.caps.CapsFeature;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.caps.CapsVerification;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import java.util.Comparator;
import java.util.TreeSet;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * Service Discovery (XEP-0030) for the server and for accounts.
 *
 * <p>To the server: disco#info with the identity {@code server/im}, every announced feature and
 * the extended information forms (XEP-0128), also under the entity capabilities node
 * {@code https://parley.im#<ver>} (XEP-0115 §6.2); disco#items is empty. Any other node is
 * {@code item-not-found} (XEP-0030 §7).
 *
 * <p>To an account's bare JID, answered by the server on the account's behalf (XEP-0030 §8):
 * the account itself gets the identity {@code account/registered} and, for disco#items, its
 * available resources. Everyone else is treated as not authorized to see the account's presence
 * (no roster here): disco#info gets {@code service-unavailable} and disco#items an empty result,
 * exactly as §8 rules 1 and 2 prescribe, which also hides whether the account exists.
 */
public final class DiscoModule implements XmppModule {

    private static final Namespace INFO = Namespace.get(ServerInfo.DISCO_INFO);
    private static final Namespace ITEMS = Namespace.get(ServerInfo.DISCO_ITEMS);

    /** Entity capabilities go with the post-authentication features (XEP-0115 §6.3). */
    public static final int CAPS_FEATURE_ORDER = C2sFeatures.BIND + 200;

    private ServerInfo serverInfo;

    @Override
    public String name() {
        return "disco";
    }

    @Override
    public void load(ModuleContext context) {
        this.serverInfo = context.serverInfo();
        context.addStreamFeature(CAPS_FEATURE_ORDER, () -> new CapsFeature(serverInfo));
        context.addServerFeature(ServerInfo.DISCO_INFO);
        context.addServerFeature(ServerInfo.DISCO_ITEMS);
        // XEP-0115: the server publishes its own capabilities (<c/> in the stream features,
        // answered here under its caps node); the registered disco feature says so.
        context.addServerFeature(CapsVerification.NAMESPACE);
        context.handleServerIq(ServerInfo.DISCO_INFO, iq -> done(serverInfo(iq)));
        context.handleServerIq(ServerInfo.DISCO_ITEMS, iq -> done(serverItems(iq, context)));
        context.handleAccountIq(ServerInfo.DISCO_INFO, iq -> done(accountInfo(iq, context)));
        context.handleAccountIq(ServerInfo.DISCO_ITEMS, iq -> done(accountItems(iq, context)));
    }

    private Element serverInfo(Stanza iq) {
        if (!isGet(iq)) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        String node = node(iq);
        if (node != null && !node.equals(serverInfo.capsNode())) {
            return error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null);
        }
        return result(iq, serverInfo.infoQuery(node));
    }

    /**
     * XEP-0030 §4.1: the server's items are the services it runs on their own domains, the
     * component hosts of this host (group chat, upload, ...), as Prosody and ejabberd list them.
     */
    private static Element serverItems(Stanza iq, ModuleContext context) {
        if (!isGet(iq)) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        if (node(iq) != null) {
            return error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null);
        }
        Element query = DocumentHelper.createElement(QName.get("query", ITEMS));
        for (Host component : context.host().components()) {
            query.addElement(QName.get("item", ITEMS)).addAttribute("jid", component.domain().toString());
        }
        return result(iq, query);
    }

    private static Element accountInfo(Stanza iq, ModuleContext context) {
        if (!isGet(iq)) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        if (!isOwnAccount(iq)) {
            return error(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE, null);
        }
        if (node(iq) != null) {
            return error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null);
        }
        Element query = DocumentHelper.createElement(QName.get("query", INFO));
        query.addElement(QName.get("identity", INFO)).addAttribute("category", "account")
                .addAttribute("type", "registered");
        context.accountIdentities().stream()
                .sorted(Comparator.comparing(DiscoIdentity::category).thenComparing(DiscoIdentity::type))
                .forEach(identity -> query.addElement(QName.get("identity", INFO))
                        .addAttribute("category", identity.category()).addAttribute("type", identity.type()));
        query.addElement(QName.get("feature", INFO)).addAttribute("var", ServerInfo.DISCO_INFO);
        query.addElement(QName.get("feature", INFO)).addAttribute("var", ServerInfo.DISCO_ITEMS);
        for (String feature : new TreeSet<>(context.accountFeatures())) {
            query.addElement(QName.get("feature", INFO)).addAttribute("var", feature);
        }
        return result(iq, query);
    }

    private static Element accountItems(Stanza iq, ModuleContext context) {
        if (!isGet(iq)) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        Element query = DocumentHelper.createElement(QName.get("query", ITEMS));
        String node = node(iq);
        if (node != null) {
            query.addAttribute("node", node);
        }
        if (!isOwnAccount(iq)) {
            return result(iq, query);
        }
        if (node != null) {
            return error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null);
        }
        addAvailableResources(context.sessions(), account(iq), query);
        return result(iq, query);
    }

    /** Lists the account's available resources in a disco#items {@code <query/>} for the account itself (XEP-0030 §8). */
    public static void addAvailableResources(RouteTable sessions, EntityBareJid account, Element query) {
        for (LocalSession session : sessions.sessionsOf(account)) {
            if (session.isAvailable()) {
                query.addElement(QName.get("item", ITEMS)).addAttribute("jid", session.jid().toString());
            }
        }
    }

    /** The account the IQ is about: its bare {@code to}, or the sender's own without {@code to}. */
    private static EntityBareJid account(Stanza iq) {
        return iq.to() == null ? iq.from().asEntityBareJidIfPossible() : iq.to().asEntityBareJidIfPossible();
    }

    private static boolean isOwnAccount(Stanza iq) {
        EntityBareJid account = account(iq);
        return account != null && iq.from() != null && account.equals(iq.from().asEntityBareJidIfPossible());
    }

    private static boolean isGet(Stanza iq) {
        return "get".equals(iq.type());
    }

    private static String node(Stanza iq) {
        return iq.element().elements().get(0).attributeValue("node");
    }
}
