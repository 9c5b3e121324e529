package im.parley.server.federation;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link PeerInteropScenarios} against one {@link InteropPeer}: starts the peer from its
 * Debian package and a Parley beside it before the first test, stops both after the last. A
 * peer that cannot start fails the class (PeerScripts): never a skip.
 *
 * <p>One instance per class, so the servers can belong to the instance that names its peer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StartedPeerScenarios extends PeerInteropScenarios {

    private final InteropPeer peer;
    private PeerScripts scripts;
    private FederatedServer parley;

    StartedPeerScenarios(InteropPeer peer) {
        this.peer = peer;
    }

    /** {@code dir} is kept when a test fails: the peer's logs are in it. */
    @BeforeAll
    void startServers(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        scripts = new PeerScripts(dir);
        // The peer finds Parley, its group chat and its pubsub service through /etc/hosts, and Prosody
        // reads it only at start: the entries come first.
        scripts.run("add-hosts-entry.sh", peer.parleyAddress(), peer.parleyDomain());
        scripts.run("add-hosts-entry.sh", peer.parleyAddress(), mucService(peer.parleyDomain()));
        scripts.run("add-hosts-entry.sh", peer.parleyAddress(), pubsubService(peer.parleyDomain()));
        scripts.run(peer.startScript(), peer.domain(), peer.address());
        parley = new FederatedServer(FederatedServer.config(peer.parleyDomain(), peer.parleyAddress(), 5269,
                dir.resolve("parley"), Map.of(), f -> f.withStaticRoutes(Map.of(peer.domain(), peer.s2sRoute(),
                        mucService(peer.domain()), peer.s2sRoute()))),
                peer.parleyAddress());
    }

    @AfterAll
    void stopServers() throws Exception {
        try {
            if (parley != null) {
                parley.close();
            }
        } finally {
            if (scripts != null) {
                scripts.run(peer.stopScript(), peer.domain());
            }
        }
    }

    @Override
    FederatedServer parley() {
        return parley;
    }

    @Override
    String parleyDomain() {
        return peer.parleyDomain();
    }

    @Override
    String peerDomain() {
        return peer.domain();
    }

    @Override
    void createPeerUser(String user, String password) throws Exception {
        scripts.run(peer.addUserScript(), peer.domain(), user, password);
    }

    @Override
    SlixmppClient loginPeer(String user, String password) throws Exception {
        return new SlixmppClient(scripts, user + "@" + peer.domain(), password, peer.address(), 5222);
    }
}
