package im.parley.server.storage;

import java.util.List;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/** The push registrations of accounts (XEP-0357). Blocking: call off the event loop. */
public interface PushStore {

    /** The account's registrations, oldest first. */
    List<PushRegistration> load(EntityBareJid owner);

    /**
     * Adds the registration, replacing one for the same app server and node; then removes the
     * oldest registrations beyond {@code limit}. Returns the registrations removed that way.
     */
    List<PushRegistration> put(EntityBareJid owner, PushRegistration registration, int limit);

    /**
     * Removes the registration of the app server with this node, or every registration of the
     * app server when {@code node} is null (XEP-0357 §6). Returns how many were removed.
     */
    int remove(EntityBareJid owner, Jid appServer, String node);
}
