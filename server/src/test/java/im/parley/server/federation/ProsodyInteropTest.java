package im.parley.server.federation;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley federating with Prosody 0.12 (Debian package {@code prosody}), started by
 * {@code s2s-federation/src/test/peers/start-prosody.sh} on 127.0.0.41; Parley on 127.0.0.43:5269.
 * A missing Prosody fails the class.
 */
class ProsodyInteropTest extends PeerInteropScenarios {

    static final String PROSODY = "prosody.interop.test";
    static final String PROSODY_IP = "127.0.0.41";
    static final String PARLEY = "parley-p.interop.test";
    static final String PARLEY_IP = "127.0.0.43";

    /** Kept when a test fails: the peer's logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static PeerScripts scripts;
    private static FederatedServer parley;

    @BeforeAll
    static void startServers() throws Exception {
        scripts = new PeerScripts(dir);
        // Prosody reads /etc/hosts only at start: Parley's name must be there first.
        scripts.run("add-hosts-entry.sh", PARLEY_IP, PARLEY);
        scripts.run("start-prosody.sh", PROSODY, PROSODY_IP);
        parley = new FederatedServer(FederatedServer.config(PARLEY, PARLEY_IP, 5269, dir.resolve("parley"), Map.of(),
                f -> f.withStaticRoutes(Map.of(PROSODY, PROSODY_IP + ":5269"))), PARLEY_IP);
    }

    @AfterAll
    static void stopServers() throws Exception {
        try {
            if (parley != null) {
                parley.close();
            }
        } finally {
            if (scripts != null) {
                scripts.run("stop-prosody.sh", PROSODY);
            }
        }
    }

    @Override
    FederatedServer parley() {
        return parley;
    }

    @Override
    String parleyDomain() {
        return PARLEY;
    }

    @Override
    String peerDomain() {
        return PROSODY;
    }

    @Override
    void createPeerUser(String user, String password) throws Exception {
        scripts.run("prosody-adduser.sh", PROSODY, user, password);
    }

    @Override
    SlixmppClient loginPeer(String user, String password) throws Exception {
        return new SlixmppClient(scripts, user + "@" + PROSODY, password, PROSODY_IP, 5222);
    }
}
