package im.parley.server.modules.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.core.jid.Jids;
import im.parley.core.sasl.ScramHash;
import im.parley.core.sasl.ScramTestClient;
import im.parley.server.ParleyServer;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.SocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint on a real HTTP listener of 127.0.0.1: the meters a client moves (a login
 * over TCP, a wrong password, a message), the exposition format (Prometheus text format 0.0.4 and
 * OpenMetrics 1.0), the bearer token (RFC 6750 §2.1, §3) and the default, off.
 */
class MetricsOverHttpTest {

    private static final String DOMAIN = "parley.test";
    private static final String TOKEN = "s3cret-scrape-token";

    @TempDir
    Path dir;

    private ParleyServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aLoginAWrongPasswordAndMessagesMoveTheirMeters() throws Exception {
        start(config -> config.with(MetricsModule.ENABLED, true).with(MetricsModule.TOKEN, TOKEN)
                .with(MetricsModule.SAMPLE_INTERVAL, Duration.ofMillis(1)));
        server.accounts().create(Jids.parseEntityBare("romeo@" + DOMAIN), "secret");
        server.accounts().create(Jids.parseEntityBare("juliet@" + DOMAIN), "secret");
        server.accounts().create(Jids.parseEntityBare("nurse@" + DOMAIN), "secret");
        PrometheusText before = scrape();
        assertThat(before.value("parley_sessions", "transport=\"tcp\"")).isEqualTo(0.0);

        try (SocketClient romeo = new SocketClient("127.0.0.1", server.c2sPort());
             SocketClient juliet = new SocketClient("127.0.0.1", server.c2sPort());
             SocketClient intruder = new SocketClient("127.0.0.1", server.c2sPort())) {
            romeo.bind("romeo@" + DOMAIN, "secret", "garden");
            juliet.bind("juliet@" + DOMAIN, "secret", "balcony");
            wrongPassword(intruder, "romeo");

            romeo.send("<message to='juliet@" + DOMAIN + "/balcony' type='chat'><body>hi</body></message>");
            juliet.nextMessage();
            // Nobody is online for the nurse: the message waits in offline storage (XEP-0160).
            romeo.send("<message to='nurse@" + DOMAIN + "' type='chat'><body>hi</body></message>");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PrometheusText after = scrape();
                assertThat(after.value("parley_sessions", "transport=\"tcp\"")).isEqualTo(2.0);
                assertThat(after.value("parley_sessions", "transport=\"bosh\"")).isEqualTo(0.0);
                assertThat(after.value("parley_logins_total", "mechanism=\"SCRAM-SHA-256\"")
                        - before.value("parley_logins_total", "mechanism=\"SCRAM-SHA-256\"")).isEqualTo(2.0);
                assertThat(after.value("parley_auth_failures_total", "mechanism=\"SCRAM-SHA-256\"")
                        - before.value("parley_auth_failures_total", "mechanism=\"SCRAM-SHA-256\"")).isEqualTo(1.0);
                assertThat(after.value("parley_stanzas_in_total", "kind=\"message\"")).isEqualTo(2.0);
                assertThat(after.value("parley_stanzas_out_total", "kind=\"message\"")).isEqualTo(1.0);
                assertThat(after.value("parley_offline_stored_total", "domain=\"" + DOMAIN + "\"")).isEqualTo(1.0);
                assertThat(after.value("parley_offline_messages", "domain=\"" + DOMAIN + "\"")).isEqualTo(1.0);
            });
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape().value("parley_sessions", "transport=\"tcp\"")).isEqualTo(0.0));
    }

    @Test
    void theScrapeFollowsTheTextFormatAndNamesEveryMeterDocumented() throws Exception {
        start(config -> config.with(MetricsModule.ENABLED, true));
        HttpResponse<String> response = get("/metrics", null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
        PrometheusText text = PrometheusText.parse(response.body());
        assertThat(text.families()).contains("parley_sessions", "parley_logins", "parley_auth_failures",
                "parley_stanzas_in", "parley_stanzas_out", "parley_bosh_sessions", "parley_offline_stored",
                "parley_offline_messages", "parley_archive_messages", "parley_blocking_queued_tasks",
                "parley_blocking_refused_tasks", "parley_c2s_stanzas_in_flight", "parley_c2s_read_holds",
                "parley_s2s_stanzas_in_flight", "parley_s2s_read_holds",
                "jvm_memory_used_bytes", "process_uptime_seconds");

        HttpResponse<String> openMetrics = get("/metrics", null, "application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(openMetrics.body()).endsWith("# EOF\n");
        PrometheusText.parse(openMetrics.body().substring(0, openMetrics.body().length() - "# EOF\n".length()));
    }

    @Test
    void withATokenAScrapeWithoutItOrWithAnotherGets401() throws Exception {
        start(config -> config.with(MetricsModule.ENABLED, true).with(MetricsModule.TOKEN, TOKEN)
                .with(MetricsModule.PATH, "/internal/metrics"));
        HttpResponse<String> none = get("/internal/metrics", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                assertThat(value).startsWith("Bearer"));
        assertThat(get("/internal/metrics", "Bearer wrong", null).statusCode()).isEqualTo(401);
        assertThat(get("/internal/metrics", "Basic " + TOKEN, null).statusCode()).isEqualTo(401);
        assertThat(get("/internal/metrics", "Bearer " + TOKEN, null).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "Bearer " + TOKEN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void metricsAreOffByDefaultAndTheHealthCheckIsAlwaysThereWithoutAToken() throws Exception {
        start(UnaryOperator.identity());
        assertThat(get("/metrics", null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> health = get("/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("listeners: up\ndatabase: up\n");
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/health")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    private void start(UnaryOperator<ParleyConfig> change) throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of(DOMAIN)).withDataDir(dir)
                .withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.off("127.0.0.1", 0))
                .withHttp(ListenerConfig.on("127.0.0.1", 0));
        config = change.apply(config.withTls(config.tls().withStarttlsRequired(false)));
        server = new ParleyServer(config);
        server.start();
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> response = get("/metrics", "Bearer " + TOKEN, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private HttpResponse<String> get(String path, String authorization, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** RFC 6120 §6.4.5: SCRAM with the wrong password ends in {@code <failure><not-authorized/>}. */
    private static void wrongPassword(SocketClient client, String user) {
        client.send(SocketClient.header(DOMAIN));
        client.next(e -> "features".equals(e.getName()));
        ScramTestClient scram = new ScramTestClient(ScramHash.SHA_256, "n,,", user, "nonce" + System.nanoTime());
        client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                + b64(scram.clientFirst()) + "</auth>");
        byte[] serverFirst = Base64.getDecoder().decode(client.next(e -> "challenge".equals(e.getName())).getTextTrim());
        client.send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + b64(scram.clientFinal(serverFirst, "not the password", new byte[0])) + "</response>");
        assertThat(client.next(e -> "failure".equals(e.getName())).element("not-authorized")).isNotNull();
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
