package im.parley.server.storage;

import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.config.ParleyConfig;
import im.parley.server.config.StorageConfig;
import im.parley.server.module.fixture.FixtureModules;
import im.parley.server.module.fixture.GreetingModule;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-module schemas: a module's migrations run in a history table of its own, next to the
 * core's. A database made by the core's migrations alone (as every existing Parley database
 * is) opens unchanged and gains the module's tables; nothing of it is lost.
 */
class ModuleSchemasTest {

    private static final String GREET = "<iq type='get' id='g' to='parley.test'><greeting xmlns='"
            + GreetingModule.NAMESPACE + "'/></iq>";

    @TempDir
    Path dir;

    @Test
    void anExistingDatabaseOpensUnchangedAndGainsTheModuleTables() throws Exception {
        // A database as the current code leaves it: the core's migrations and an account.
        List<String> coreHistory;
        try (Database existing = Database.open(StorageConfig.defaults(), dir)) {
            new AccountService(new JdbcStorage(existing.dataSource()).accounts())
                    .create(Jids.parseEntityBare("romeo@parley.test"), "orchard");
            coreHistory = rows(existing, "SELECT \"version\", \"checksum\" FROM \"flyway_schema_history\" ORDER BY 1");
        }
        assertThat(coreHistory).isNotEmpty();

        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir);
        try (TestServer server = new TestServer(config, Clock.systemUTC(), FixtureModules.catalog())) {
            TestClient romeo = server.connect();
            romeo.login("romeo@parley.test", "orchard", "garden");
            assertThat(iq(romeo, GREET).element("greeting").attributeValue("count")).isEqualTo("1");
        }
        // Opened again: the module's table kept its row and nothing migrates twice.
        try (TestServer server = new TestServer(config, Clock.systemUTC(), FixtureModules.catalog())) {
            TestClient romeo = server.connect();
            romeo.login("romeo@parley.test", "orchard", "garden");
            assertThat(iq(romeo, GREET).element("greeting").attributeValue("count")).isEqualTo("2");
        }

        try (Database reopened = Database.open(StorageConfig.defaults(), dir)) {
            assertThat(rows(reopened, "SELECT \"version\", \"checksum\" FROM \"flyway_schema_history\" ORDER BY 1"))
                    .isEqualTo(coreHistory);
            assertThat(rows(reopened, "SELECT \"version\", \"type\" FROM \""
                    + ModuleSchemas.historyTable("greeting") + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
                    .containsExactly("0 BASELINE", "1 SQL");
        }
    }

    private static List<String> rows(Database database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2));
            }
        }
        return rows;
    }
}
