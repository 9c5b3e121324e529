package im.parley.bench.users;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.ScramCredential;
import im.parley.core.sasl.ScramHash;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import java.util.ArrayList;
import java.util.List;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Creates {@code <prefix>1 … <prefix>N} on Parley's database, straight through its
 * {@link JdbcAccountStore} (before the server starts, or while it runs on embedded H2).
 *
 * <p>All users share one password, so they can share one set of SCRAM credentials (RFC 5802
 * §5.1): one PBKDF2 per hash instead of three per user, like the Prosody bulk script's shared
 * salt. Users that exist are left alone.
 */
public final class ParleyBulkUsers {
    private ParleyBulkUsers() {
    }

    /** Returns how many accounts were created. */
    public static int create(ParleyConfig config, String domain, String prefix, int count, String password) {
        String prepared = PrecisProfiles.OPAQUE_STRING.enforce(password);
        List<ScramCredential> credentials = new ArrayList<>();
        for (ScramHash hash : ScramHash.values()) {
            credentials.add(ScramCredential.create(hash, prepared, ScramCredential.DEFAULT_ITERATIONS));
        }
        int created = 0;
        try (Database database = Database.open(config.storage(), config.dataDir())) {
            JdbcAccountStore store = new JdbcAccountStore(database.dataSource());
            for (int i = 1; i <= count; i++) {
                if (store.create(Jids.parseEntityBare(prefix + i + "@" + domain), credentials)) {
                    created++;
                }
            }
        } catch (im.parley.core.jid.JidMalformedException e) {
            throw new IllegalArgumentException("not a valid user name: " + e.getMessage(), e);
        }
        return created;
    }
}
