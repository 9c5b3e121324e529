package im.parley.server.module;

import im.parley.core.routing.Stanza;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;

/** What a module may use: handler registration, the hosted domains and stanza sending. */
public interface ModuleContext {

    /**
     * Handles IQ requests addressed to a hosted domain itself (RFC 6120 §10.3) whose payload
     * child is in {@code namespace}.
     */
    void handleServerIq(String namespace, IqHandler handler);

    /**
     * Handles IQ requests a server answers on behalf of a local account: addressed to the
     * account's bare JID or without {@code to} (RFC 6120 §10.3.3, RFC 6121 §8.5.2.1.3).
     */
    void handleAccountIq(String namespace, IqHandler handler);

    /** Announces a feature (a XEP-0030 {@code var}) the server supports. */
    void addServerFeature(String discoFeature);

    /** The hosted domains. */
    Set<DomainBareJid> domains();

    /** Routes a stanza originated by the server. */
    void send(Stanza stanza);
}
