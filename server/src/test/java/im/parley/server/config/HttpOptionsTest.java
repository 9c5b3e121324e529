package im.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The options of the HTTP bindings: read from YAML, checked, defaulted. */
class HttpOptionsTest {

    @Test
    void defaultsKeepHttpOnLoopbackHttpsOffAndCorsClosed() {
        HttpConfig web = ParleyConfig.defaults().web();
        assertThat(ParleyConfig.defaults().http()).isEqualTo(ListenerConfig.on("127.0.0.1", 5280));
        assertThat(web.https()).isEqualTo(ListenerConfig.off("127.0.0.1", 5443));
        assertThat(web.corsOrigins()).isEmpty();
        assertThat(web.considerSecure()).isFalse();
        assertThat(web.bosh().maxWait()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void readsEveryHttpOption() throws ConfigException {
        ParleyConfig config = ConfigLoader.parse("""
                http:
                  enabled: true
                  port: 8080
                  cors_origins: ["https://chat.example.org", "http://localhost:3000"]
                  consider_secure: true
                  max_request_size: 65536
                  max_header_size: 4096
                  header_timeout: 5s
                  body_timeout: 20s
                  idle_timeout: 15s
                  websocket_idle_timeout: 2m
                  max_connections_per_address: 20
                  trusted_proxies: ["10.0.0.5", "::1"]
                https:
                  enabled: true
                  port: 8443
                bosh:
                  max_wait: 30s
                  max_hold: 2
                  inactivity: 90s
                  max_pause: 5m
                  polling: 5s
                  max_sessions: 50
                  max_sessions_per_address: 5
                  max_queued_bytes: 2048
                """, "test.yml");
        assertThat(config.http()).isEqualTo(ListenerConfig.on("127.0.0.1", 8080));
        HttpConfig web = config.web();
        assertThat(web.https()).isEqualTo(ListenerConfig.on("127.0.0.1", 8443));
        assertThat(web.corsOrigins()).containsExactly("https://chat.example.org", "http://localhost:3000");
        assertThat(web.considerSecure()).isTrue();
        assertThat(web.maxRequestBytes()).isEqualTo(65536);
        assertThat(web.bosh()).isEqualTo(new HttpConfig.BoshConfig(Duration.ofSeconds(30), 2, Duration.ofSeconds(90),
                Duration.ofMinutes(5), Duration.ofSeconds(5), 50, 5, 2048));
        assertThat(web.limits()).isEqualTo(new HttpLimits(Duration.ofSeconds(15), Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofMinutes(2), 4096, 20, List.of("10.0.0.5", "::1")));
    }

    @Test
    void anyOriginIsAStar() throws ConfigException {
        assertThat(ConfigLoader.parse("http:\n  cors_origins: [\"*\"]\n", "t.yml").web().corsOrigins())
                .isEqualTo(List.of("*"));
    }

    @Test
    void anOriginHasNoPath() {
        assertThatThrownBy(() -> ConfigLoader.parse("http:\n  cors_origins: [\"https://chat.example.org/app\"]\n", "t.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.cors_origins[0]");
    }

    @Test
    void defaultLimitsBoundEveryStageOfAConnection() {
        HttpConfig web = ParleyConfig.defaults().web();
        assertThat(web.limits()).isEqualTo(new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(60), 8192, 100, List.of("127.0.0.1", "::1")));
        assertThat(web.bosh().maxSessionsPerAddress()).isEqualTo(50);
    }

    @Test
    void aTrustedProxyIsAnAddressNotAName() {
        assertThatThrownBy(() -> ConfigLoader.parse("http:\n  trusted_proxies: [\"proxy.example.org\"]\n", "t.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.trusted_proxies[0]")
                .hasMessageContaining("IP address");
    }

    @Test
    void holdIsBounded() {
        assertThatThrownBy(() -> ConfigLoader.parse("bosh:\n  max_hold: 100\n", "t.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bosh.max_hold");
    }
}
