package im.parley.server.storage;

import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The welcome message of each hosted domain (XEP-0133 §4.27, §4.28) and the accounts that are
 * still to be sent it: those created as new users ({@link AccountStore#create}) while their
 * domain had one, until their first login. Blocking: call it off the event loop.
 */
public interface WelcomeStore {

    Optional<String> find(DomainBareJid domain);

    /** Sets or replaces the domain's message; the accounts still to be sent the old one get this one. */
    void set(DomainBareJid domain, String body);

    /** Deletes the domain's message: the accounts still to be sent it get none. False if there was none. */
    boolean delete(DomainBareJid domain);

    /**
     * The message the account is to be sent now, once: present the first time this is asked after
     * the account was created while its domain had a welcome message, empty ever after (and for
     * every other account).
     */
    Optional<String> takePending(EntityBareJid account);
}
