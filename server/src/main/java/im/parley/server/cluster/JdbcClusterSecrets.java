package im.parley.server.cluster;

import im.parley.server.storage.ModuleSchemas;
import im.parley.server.storage.SqlTransactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@link ClusterSecrets} in the database the nodes share, table {@code cluster_secrets} (its own
 * migrations, {@code db/cluster}, so that only a clustered server that needs it has it; H2 and
 * PostgreSQL). Insert-if-absent: of two nodes that find no row and insert at once, the second
 * gets a unique violation, runs again and reads the first one's secret.
 */
public final class JdbcClusterSecrets implements ClusterSecrets {

    /** The schema's name, which names its Flyway history table. */
    static final String SCHEMA = "cluster";
    /** Where its migrations are. */
    static final String LOCATION = "classpath:db/cluster";

    private final SqlTransactions transactions;

    private JdbcClusterSecrets(DataSource dataSource) {
        this.transactions = new SqlTransactions(dataSource);
    }

    /** The secrets in {@code schemas}' database, after creating their table if it is not there yet. */
    public static JdbcClusterSecrets migrate(ModuleSchemas schemas) {
        return new JdbcClusterSecrets(schemas.migrate(SCHEMA, JdbcClusterSecrets.class.getClassLoader(), LOCATION));
    }

    @Override
    public String shared(String name, Supplier<String> generated) {
        return transactions.runRetryingDuplicateKey("read or store the cluster's " + name + " secret", connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT secret FROM cluster_secrets WHERE name = ?")) {
                query.setString(1, name);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getString(1);
                    }
                }
            }
            String secret = generated.get();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO cluster_secrets (name, secret) VALUES (?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, secret);
                insert.executeUpdate();
            }
            return secret;
        });
    }
}
