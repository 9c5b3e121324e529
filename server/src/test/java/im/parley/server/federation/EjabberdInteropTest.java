package im.parley.server.federation;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley federating with ejabberd 23.01 (Debian package {@code ejabberd}), started by
 * {@code s2s-federation/src/test/peers/start-ejabberd.sh} on 127.0.0.42; Parley on 127.0.0.44:5269.
 * A missing ejabberd fails the class.
 */
class EjabberdInteropTest extends PeerInteropScenarios {

    static final String EJABBERD = "ejabberd.interop.test";
    static final String EJABBERD_IP = "127.0.0.42";
    static final String PARLEY = "parley-e.interop.test";
    static final String PARLEY_IP = "127.0.0.44";

    /** Kept when a test fails: the peer's logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static PeerScripts scripts;
    private static FederatedServer parley;

    @BeforeAll
    static void startServers() throws Exception {
        scripts = new PeerScripts(dir);
        // ejabberd finds Parley through /etc/hosts (looked up at each connection) and port 5269.
        scripts.run("add-hosts-entry.sh", PARLEY_IP, PARLEY);
        scripts.run("start-ejabberd.sh", EJABBERD, EJABBERD_IP);
        parley = new FederatedServer(FederatedServer.config(PARLEY, PARLEY_IP, 5269, dir.resolve("parley"), Map.of(),
                f -> f.withStaticRoutes(Map.of(EJABBERD, EJABBERD_IP + ":5269"))), PARLEY_IP);
    }

    @AfterAll
    static void stopServers() throws Exception {
        try {
            if (parley != null) {
                parley.close();
            }
        } finally {
            if (scripts != null) {
                scripts.run("stop-ejabberd.sh", EJABBERD);
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
        return EJABBERD;
    }

    @Override
    void createPeerUser(String user, String password) throws Exception {
        scripts.run("ejabberd-adduser.sh", EJABBERD, user, password);
    }

    @Override
    SlixmppClient loginPeer(String user, String password) throws Exception {
        return new SlixmppClient(scripts, user + "@" + EJABBERD, password, EJABBERD_IP, 5222);
    }
}
