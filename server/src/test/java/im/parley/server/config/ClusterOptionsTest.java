package im.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code cluster} section: off by default, refused on the embedded database, read as written. */
class ClusterOptionsTest {

    private static final String POSTGRESQL = "storage:\n  jdbc_url: \"jdbc:postgresql://127.0.0.1:5432/parley\"\n";

    @Test
    void aClusterIsOffByDefault() throws Exception {
        ParleyConfig config = ConfigLoader.parse("domains: [\"example.org\"]\n", "parley.yml");

        assertThat(config.option(ClusterOptions.ENABLED)).isFalse();
        assertThat(config.option(ClusterOptions.MEMBERS_OPTION)).isEmpty();
        assertThat(config.option(ClusterOptions.PORT)).isEqualTo(5701);
    }

    @Test
    void aClusterOnTheEmbeddedDatabaseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ConfigLoader.parse("cluster:\n  enabled: true\n  secret: \"s\"\n", "parley.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.enabled")
                .hasMessageContaining("a cluster needs a database its nodes share")
                .hasMessageContaining("PostgreSQL");
    }

    @Test
    void aClusterOnAnH2UrlIsRefusedToo() {
        assertThatThrownBy(() -> ConfigLoader.parse("storage:\n  jdbc_url: \"jdbc:h2:/srv/parley/db\"\n"
                + "cluster:\n  enabled: true\n  secret: \"s\"\n", "parley.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jdbc:h2:/srv/parley/db");
    }

    @Test
    void aClusterNeedsASecret() {
        assertThatThrownBy(() -> ConfigLoader.parse(POSTGRESQL + "cluster:\n  enabled: true\n", "parley.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.secret");
    }

    @Test
    void membersAreAddressesWithPorts() {
        assertThatThrownBy(() -> ConfigLoader.parse(POSTGRESQL + "cluster:\n  members: [\"node1.example.org:5701\"]\n",
                "parley.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.members[0]");
    }

    @Test
    void aClusterOnPostgresqlIsReadAsWritten() throws Exception {
        ParleyConfig config = ConfigLoader.parse(POSTGRESQL + "cluster:\n  enabled: true\n  secret: \"s3cret\"\n"
                + "  address: \"10.0.0.5\"\n  port: 5801\n  members: [\"10.0.0.5:5801\", \"10.0.0.6:5801\"]\n"
                + "  failure_timeout: \"5s\"\n", "parley.yml");

        assertThat(config.option(ClusterOptions.ENABLED)).isTrue();
        assertThat(config.option(ClusterOptions.SECRET)).isEqualTo("s3cret");
        assertThat(config.option(ClusterOptions.MEMBERS_OPTION)).isEqualTo(List.of("10.0.0.5:5801", "10.0.0.6:5801"));
        assertThat(config.option(ClusterOptions.ADDRESS)).isEqualTo("10.0.0.5");
        assertThat(config.option(ClusterOptions.PORT)).isEqualTo(5801);
        assertThat(config.option(ClusterOptions.FAILURE_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    }
}
