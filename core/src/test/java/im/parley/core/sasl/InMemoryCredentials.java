package im.parley.core.sasl;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A test credential store; counts look-ups so tests can see what the mechanisms asked for. */
public final class InMemoryCredentials implements CredentialRepository {

    private final Map<String, ScramCredential> credentials = new HashMap<>();

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

    @Override
    public Optional<ScramCredential> find(String domain, String username, ScramHash hash) {
        return Optional.ofNullable(credentials.get(key(domain, username, hash)));
    }

    private static String key(String domain, String username, ScramHash hash) {
        return domain + '\0' + username + '\0' + hash;
    }
}
