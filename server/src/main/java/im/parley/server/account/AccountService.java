package im.parley.server.account;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.sasl.AccountCredential;
import im.parley.core.sasl.CredentialRepository;
import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import im.parley.server.storage.AccountStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Account management on top of an {@link AccountStore}: passwords are prepared, turned into
 * SCRAM credentials for every {@link ScramHash} and forgotten. Also the
 * {@link CredentialRepository} the SASL mechanisms read. Blocking: call it off the event loop.
 */
public final class AccountService implements CredentialRepository {
    private final AccountStore store;

    public AccountService(AccountStore store) {
        this.store = store;
    }

    /**
     * Creates an account.
     *
     * @throws AccountExistsException if it already exists
     * @throws IllegalArgumentException if the password is empty or not a valid OpaqueString
     */
    public void create(EntityBareJid jid, String password) throws AccountExistsException {
        if (!store.create(jid, credentials(password))) {
            throw new AccountExistsException(jid);
        }
    }

    /**
     * Replaces the password; the old one stops working at once.
     *
     * @throws NoSuchAccountException if there is no such account
     * @throws IllegalArgumentException if the password is empty or not a valid OpaqueString
     */
    public void changePassword(EntityBareJid jid, String password) throws NoSuchAccountException {
        if (!store.updateCredentials(jid, credentials(password))) {
            throw new NoSuchAccountException(jid);
        }
    }

    public void delete(EntityBareJid jid) throws NoSuchAccountException {
        if (!store.delete(jid)) {
            throw new NoSuchAccountException(jid);
        }
    }

    /** The accounts of {@code domain}, sorted. */
    public List<EntityBareJid> list(DomainBareJid domain) {
        return store.list(domain);
    }

    public boolean exists(EntityBareJid jid) {
        return store.exists(jid);
    }

    /**
     * Disables the account (it cannot log in; its data stays, XEP-0133 §4.3) or enables it again
     * (§4.4). Ending its sessions is the caller's business.
     */
    public void setDisabled(EntityBareJid jid, boolean disabled) throws NoSuchAccountException {
        if (!store.setDisabled(jid, disabled)) {
            throw new NoSuchAccountException(jid);
        }
    }

    /** The disabled accounts of {@code domain}, sorted. */
    public List<EntityBareJid> listDisabled(DomainBareJid domain) {
        return store.listDisabled(domain);
    }

    /**
     * The stored credential; empty for an unknown account and for a username that is not a
     * valid localpart (RFC 7622 §3.3), which therefore cannot name an account.
     */
    @Override
    public Optional<ScramCredential> find(String domain, String username, ScramHash hash) {
        return findForLogin(domain, username, hash).map(AccountCredential::credential);
    }

    /** {@link #find} and whether the account is disabled, in one read. */
    @Override
    public Optional<AccountCredential> findForLogin(String domain, String username, ScramHash hash) {
        EntityBareJid jid;
        try {
            jid = Jids.parseEntityBare(username + "@" + domain);
        } catch (JidMalformedException e) {
            return Optional.empty();
        }
        // '@' or '/' in the username would shift the parts of the concatenated JID.
        if (!jid.getDomain().equals(parsedDomainOrNull(domain))) {
            return Optional.empty();
        }
        return store.findForLogin(jid, hash);
    }

    /**
     * Prepares the password with the PRECIS OpaqueString profile (RFC 8265 §4.2, as RFC 6120
     * §6.3.8 and RFC 7677 ask for SCRAM) and derives one credential per hash.
     *
     * @throws IllegalArgumentException if the password is empty or not a valid OpaqueString
     */
    public static List<ScramCredential> credentials(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        String prepared;
        try {
            prepared = PrecisProfiles.OPAQUE_STRING.enforce(password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the password is not allowed (RFC 8265 OpaqueString): "
                    + e.getMessage(), e);
        }
        List<ScramCredential> credentials = new ArrayList<>();
        for (ScramHash hash : ScramHash.values()) {
            credentials.add(ScramCredential.create(hash, prepared, ScramCredential.DEFAULT_ITERATIONS));
        }
        return credentials;
    }

    private static DomainBareJid parsedDomainOrNull(String domain) {
        try {
            return Jids.parseDomain(domain);
        } catch (JidMalformedException e) {
            return null;
        }
    }
}
