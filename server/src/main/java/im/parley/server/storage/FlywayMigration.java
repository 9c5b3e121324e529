package im.parley.server.storage;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway, run for one location and history table. A class of its own so that a start whose schema
 * is current ({@link AppliedMigrations}) loads none of Flyway's classes, not even its exception
 * for a catch clause.
 */
final class FlywayMigration {

    private FlywayMigration() {
    }

    /**
     * Applies the migrations at {@code location} that have not run yet.
     *
     * @param baselineAtZero for a database that already holds other tables: the history starts
     *     with a baseline at version 0, so that {@code V1} runs next
     * @return the version migrated to, or null if nothing was due
     * @throws StorageException starting with {@code failure} if a migration fails
     */
    static String migrate(DataSource dataSource, ClassLoader loader, String location, String historyTable,
                          boolean baselineAtZero, String failure) {
        try {
            var configuration = Flyway.configure(loader).dataSource(dataSource).locations(location).table(historyTable);
            if (baselineAtZero) {
                configuration.baselineOnMigrate(true).baselineVersion("0");
            }
            MigrateResult result = configuration.load().migrate();
            return result.migrationsExecuted > 0 ? result.targetSchemaVersion : null;
        } catch (FlywayException e) {
            throw new StorageException(failure + ": " + e.getMessage(), e);
        }
    }
}
