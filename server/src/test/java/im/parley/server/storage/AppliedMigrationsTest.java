package im.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.StorageConfig;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check that lets a start skip Flyway (issue 19): it says "up to date" exactly where Flyway
 * would find nothing to migrate and nothing to refuse, which proves its checksum is Flyway's, and
 * "not" for a missing, changed or failed migration, so Flyway runs then and migrates or refuses.
 */
class AppliedMigrationsTest {

    private static final String CORE = "classpath:db/migration";
    private static final String CORE_HISTORY = "flyway_schema_history";
    private static final ClassLoader LOADER = AppliedMigrationsTest.class.getClassLoader();

    @TempDir
    Path dir;

    @Test
    void aDatabaseFlywayMigratedIsUpToDateForTheCoreAndForAModule() throws Exception {
        try (Database database = Database.open(StorageConfig.defaults(), dir.resolve("data"))) {
            DataSource data = database.dataSource();
            assertThat(AppliedMigrations.upToDate(data, LOADER, "classpath:db/mam", ModuleSchemas.historyTable("mam")))
                    .as("no history table yet").isFalse();

            new ModuleSchemas(data).migrate("mam", LOADER, "classpath:db/mam");

            assertThat(AppliedMigrations.upToDate(data, LOADER, CORE, CORE_HISTORY)).isTrue();
            assertThat(AppliedMigrations.upToDate(data, LOADER, "classpath:db/mam", ModuleSchemas.historyTable("mam")))
                    .isTrue();
        }
    }

    @Test
    void aMissingChangedOrFailedMigrationIsNotUpToDate() throws Exception {
        try (Database database = Database.open(StorageConfig.defaults(), dir.resolve("data"))) {
            DataSource data = database.dataSource();
            String newest = "(SELECT MAX(\"installed_rank\") FROM \"flyway_schema_history\")";

            update(data, "UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"installed_rank\" = "
                    + newest);
            assertThat(AppliedMigrations.upToDate(data, LOADER, CORE, CORE_HISTORY)).as("changed").isFalse();
            update(data, "UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" - 1, \"success\" = FALSE "
                    + "WHERE \"installed_rank\" = " + newest);
            assertThat(AppliedMigrations.upToDate(data, LOADER, CORE, CORE_HISTORY)).as("failed").isFalse();
            update(data, "DELETE FROM \"flyway_schema_history\" WHERE \"installed_rank\" = " + newest);
            assertThat(AppliedMigrations.upToDate(data, LOADER, CORE, CORE_HISTORY)).as("pending").isFalse();
        }
    }

    @Test
    void readsMigrationsInAJarAsInstalledServersHaveThem() throws Exception {
        Path jar = dir.resolve("module.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("db/"));
            out.putNextEntry(new JarEntry("db/notes/"));
            entry(out, "db/notes/V1__notes.sql", "CREATE TABLE notes (id INT PRIMARY KEY);\r\n-- windows line ends\r\n");
            entry(out, "db/notes/V1_1__more.sql", "\uFEFFALTER TABLE notes ADD COLUMN body VARCHAR(100);\n");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, LOADER);
             Database database = Database.open(StorageConfig.defaults(), dir.resolve("data"))) {
            String history = ModuleSchemas.historyTable("notes");
            assertThat(AppliedMigrations.upToDate(database.dataSource(), loader, "classpath:db/notes", history)).isFalse();

            new ModuleSchemas(database.dataSource()).migrate("notes", loader, "classpath:db/notes");

            assertThat(AppliedMigrations.upToDate(database.dataSource(), loader, "classpath:db/notes", history)).isTrue();
        }
    }

    private static void entry(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private static void update(DataSource data, String sql) throws SQLException {
        try (Connection connection = data.getConnection(); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(sql)).isEqualTo(1);
        }
    }
}
