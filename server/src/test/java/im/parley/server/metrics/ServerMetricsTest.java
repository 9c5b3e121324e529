package im.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Meters count into Prometheus only when exported (issue 19: nothing else loads it at start). */
class ServerMetricsTest {

    @Test
    void exportedMetersCountAndScrapeWithTheJvmFigures() {
        try (ServerMetrics metrics = new ServerMetrics(List.of("PLAIN"), true)) {
            metrics.auth().succeeded("PLAIN");

            assertThat(metrics.registry().get(AuthCounters.LOGINS).tag("mechanism", "PLAIN").counter().count())
                    .isEqualTo(1.0);
            String body = metrics.scrape(null).body();

            assertThat(body).contains("mechanism=\"PLAIN\"").contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void metersNobodyReadsCountIntoNothing() {
        try (ServerMetrics metrics = new ServerMetrics(List.of("PLAIN"), false)) {
            metrics.auth().succeeded("PLAIN");
            metrics.auth().failed("PLAIN");

            assertThat(metrics.registry().get(AuthCounters.LOGINS).tag("mechanism", "PLAIN").counter().count())
                    .isZero();
            assertThatThrownBy(() -> metrics.scrape(null)).isInstanceOf(IllegalStateException.class);
        }
    }
}
