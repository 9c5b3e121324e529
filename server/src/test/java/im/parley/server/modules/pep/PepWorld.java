package im.parley.server.modules.pep;

import static im.parley.server.modules.roster.RosterScript.befriend;
import static im.parley.server.modules.roster.RosterScript.fetchRosterAndGoOnline;

import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * The cast of the PEP tests on a test server: Juliet owns the nodes, Romeo is her contact (mutual
 * presence subscription), the Nurse knows nobody; each is online with one resource.
 */
final class PepWorld implements AutoCloseable {

    static final String JULIET = "juliet@parley.test";
    static final String ROMEO = "romeo@parley.test";
    static final String NURSE = "nurse@parley.test";

    final TestServer server;
    final TestClient juliet;
    final TestClient romeo;
    final TestClient nurse;

    PepWorld(Path dir, Clock clock, Executor pool, UnaryOperator<ParleyConfig> config) throws Exception {
        server = new TestServer(config.apply(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir)),
                clock, ModuleCatalog.discover(), pool);
        server.user(JULIET).user(ROMEO).user(NURSE);
        juliet = online(JULIET, "balcony");
        romeo = online(ROMEO, "orchard");
        nurse = online(NURSE, "kitchen");
        befriend(romeo, juliet);
        quiet();
    }

    /** Logs in a resource that fetches its roster and sends initial presence; what it got so far is dropped. */
    TestClient online(String user, String resource) {
        TestClient client = server.login(user, resource);
        fetchRosterAndGoOnline(client);
        client.stanzas();
        return client;
    }

    /** Drops what the three have received so far. */
    void quiet() {
        juliet.stanzas();
        romeo.stanzas();
        nurse.stanzas();
    }

    @Override
    public void close() {
        server.close();
    }
}
