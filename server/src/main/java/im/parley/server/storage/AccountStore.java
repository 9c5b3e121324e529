package im.parley.server.storage;

import im.parley.core.sasl.AccountCredential;
import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Accounts and their SCRAM credentials (RFC 5802 §5.1: salt, iteration count, StoredKey,
 * ServerKey; never the password). Blocking: JDBC implementations must be called off the event
 * loop. Failures of the backend surface as {@link StorageException}.
 */
public interface AccountStore {

    /**
     * Creates the account with these credentials (one per hash); false if it already exists. A
     * new user ({@code newUser}) of a domain that has a welcome message (XEP-0133 §4.27) is to be
     * sent it at its first login ({@link WelcomeStore#takePending}); an account brought over from
     * another server (an import) is not a new user.
     */
    boolean create(EntityBareJid jid, List<ScramCredential> credentials, boolean newUser);

    /** Creates the account of a new user ({@link #create(EntityBareJid, List, boolean)}). */
    default boolean create(EntityBareJid jid, List<ScramCredential> credentials) {
        return create(jid, credentials, true);
    }

    /** Replaces all credentials of the account; false if there is no such account. */
    boolean updateCredentials(EntityBareJid jid, List<ScramCredential> credentials);

    /** Deletes the account and its credentials; false if there was no such account. */
    boolean delete(EntityBareJid jid);

    /**
     * Runs {@code step} with the account before each deletion, on the deleting thread (blocking):
     * for a module whose rows reach the database late, such as the archive journal's messages,
     * which must be there for the deletion to take them along.
     */
    void beforeDelete(Consumer<EntityBareJid> step);

    /**
     * Runs {@code step} with the account after each deletion that deleted it, on the deleting
     * thread (blocking): for a module that keeps the account's data outside the database, which
     * must go once nothing can add to it any more (what arrives until the deletion commits is
     * written for an account that still exists).
     */
    void afterDelete(Consumer<EntityBareJid> step);

    boolean exists(EntityBareJid jid);

    /** The accounts of one domain, sorted by their string form. */
    List<EntityBareJid> list(DomainBareJid domain);

    /** The credential of the account for one hash, or empty if there is no such account or credential. */
    default Optional<ScramCredential> find(EntityBareJid jid, ScramHash hash) {
        return findForLogin(jid, hash).map(AccountCredential::credential);
    }

    /** The credential of the account for one hash and whether the account is disabled, in one read. */
    Optional<AccountCredential> findForLogin(EntityBareJid jid, ScramHash hash);

    /**
     * Marks the account disabled (it cannot log in, its data stays) or enabled again
     * (XEP-0133 §4.3, §4.4); false if there is no such account.
     */
    boolean setDisabled(EntityBareJid jid, boolean disabled);

    /** The disabled accounts of one domain, sorted by their string form. */
    List<EntityBareJid> listDisabled(DomainBareJid domain);
}
