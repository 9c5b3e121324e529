package im.parley.server.storage;

import java.time.Instant;
import java.util.Objects;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/**
 * One app server an account enabled push notifications with (XEP-0357 §5): where to publish
 * ({@code appServer}, {@code node}) and the publish-options form to send along (the client's
 * {@code jabber:x:data} form, e.g. with the app server's secret), or null.
 */
public record PushRegistration(Jid appServer, String node, Element publishOptions, Instant enabledAt) {

    public PushRegistration {
        Objects.requireNonNull(appServer, "appServer");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(enabledAt, "enabledAt");
    }

    /** True for the registration of this app server and node. */
    public boolean matches(Jid jid, String otherNode) {
        return appServer.equals(jid) && node.equals(otherNode);
    }
}
