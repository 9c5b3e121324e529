package im.parley.core.sasl;

import java.util.Optional;

/**
 * Where SASL mechanisms find the stored SCRAM credentials of an account. Implementations may
 * block (JDBC): SASL steps run off the event loop.
 */
public interface CredentialRepository {

    /**
     * The credential of {@code username} (the prepared localpart) on {@code domain} for the
     * given hash, or empty if there is no such account.
     */
    Optional<ScramCredential> find(String domain, String username, ScramHash hash);

    /**
     * The credential of {@code username} on {@code domain} for the given hash and whether the
     * account is disabled, as a login needs them; empty if there is no such account. Stores that
     * can read both at once override this.
     */
    default Optional<AccountCredential> findForLogin(String domain, String username, ScramHash hash) {
        return find(domain, username, hash).map(credential -> new AccountCredential(credential,
                isDisabled(domain, username)));
    }

    /**
     * True if the account exists but an administrator disabled it: the client that proved its
     * credentials still fails, with {@code <account-disabled/>} (RFC 6120 §6.5.1).
     */
    default boolean isDisabled(String domain, String username) {
        return false;
    }
}
