package im.parley.core.sasl;

import java.util.Objects;

/**
 * What a login reads about an account in one look-up: its stored credential for one hash, and
 * whether an administrator disabled it (XEP-0133 §4.3), which a mechanism acts on only once the
 * client has proven the credential (RFC 6120 §6.5.1).
 */
public record AccountCredential(ScramCredential credential, boolean disabled) {
    public AccountCredential {
        Objects.requireNonNull(credential, "credential");
    }
}
