package im.parley.core.sasl;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A test credential store; counts look-ups so tests can see what the mechanisms asked for. */
public final class InMemoryCredentials implements CredentialRepository {

    private final Map<String, ScramCredential> credentials = new HashMap<>();
    private final Set<String> disabled = new HashSet<>();

    public InMemoryCredentials add(String domain, String username, ScramCredential credential) {
        credentials.put(key(domain, username, credential.hash()), credential);
        return this;
    }

    /** The account with a credential for every hash, with a low iteration count to keep tests fast. */
    public InMemoryCredentials addPassword(String domain, String username, String password, int iterations) {
        for (ScramHash hash : ScramHash.values()) {
            add(domain, username, ScramCredential.create(hash, password, iterations));
        }
        return this;
    }

    /** Marks the account disabled by an administrator (XEP-0133 §4.3). */
    public InMemoryCredentials disable(String domain, String username) {
        disabled.add(domain + '\0' + username);
        return this;
    }

    @Override
    public boolean isDisabled(String domain, String username) {
        return disabled.contains(domain + '\0' + username);
    }

    @Override
    public Optional<ScramCredential> find(String domain, String username, ScramHash hash) {
        return Optional.ofNullable(credentials.get(key(domain, username, hash)));
    }

    private static String key(String domain, String username, ScramHash hash) {
        return domain + '\0' + username + '\0' + hash;
    }
}
