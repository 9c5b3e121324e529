package im.parley.server.modules.muc;

import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A server with romeo and juliet logged in ({@link MucScript#romeoAndJuliet}), for MUC tests. */
abstract class MucFixture {

    static final String ROOM = "garden@conference.parley.test";

    @TempDir
    Path dir;

    TestServer server;
    TestClient romeo;
    TestClient juliet;

    @BeforeEach
    final void startServer() throws Exception {
        server = MucScript.romeoAndJuliet(dir);
        login();
    }

    /** Logs romeo and juliet in (again, after a restart). */
    final void login() {
        romeo = server.login("romeo@parley.test", "garden");
        juliet = server.login("juliet@parley.test", "balcony");
    }

    @AfterEach
    final void stopServer() {
        server.close();
    }
}
