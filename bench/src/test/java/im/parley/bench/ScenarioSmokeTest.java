package im.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.SaslMechanismChoice;
import im.parley.bench.client.XmppClient;
import im.parley.bench.scenario.BenchContext;
import im.parley.bench.scenario.ChatScenario;
import im.parley.bench.scenario.IdleSessionsScenario;
import im.parley.bench.scenario.LoginStormScenario;
import im.parley.bench.scenario.PresenceScenario;
import im.parley.bench.scenario.Scenario;
import im.parley.bench.scenario.ScenarioResult;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the harness working (issue 7: "CI runs only a short smoke run of each scenario"): each
 * scenario runs for a few seconds against a Parley child process and must produce a result with
 * zero errors. No performance figure is asserted.
 */
class ScenarioSmokeTest {
    private static final int USERS = 40;

    @TempDir
    static Path dir;

    private static ParleyProcess parley;
    private static boolean rosters;

    @BeforeAll
    static void startParley() throws Exception {
        parley = ParleyProcess.start(dir, USERS);
        rosters = serverAnswersRosterGet();
    }

    @AfterAll
    static void stopParley() throws Exception {
        if (parley != null) {
            parley.close();
        }
    }

    /** RFC 6120 §6 SCRAM-SHA-1 over plain TCP (Parley offers PLAIN only over TLS), bind, presence. */
    @Test
    void loginStormPlain() throws Exception {
        ScenarioResult result = run(new LoginStormScenario(USERS, 200, false));
        assertThat(result.figures()).containsEntry("logins_ok", USERS).containsKeys("login_p99_ms",
                "server_cpu_avg_pct", "server_rss_peak_mb", "bench_cpu_avg_pct");
    }

    /** RFC 6120 §5 STARTTLS before SASL. */
    @Test
    void loginStormStartTls() throws Exception {
        ScenarioResult result = run(new LoginStormScenario(USERS, 200, true));
        assertThat(result.figures()).containsEntry("logins_ok", USERS);
    }

    @Test
    void idleTlsSessions() throws Exception {
        ScenarioResult result = run(new IdleSessionsScenario(USERS, 200, 1, 10, 0));
        assertThat(result.figures()).containsEntry("sessions", USERS).containsKey("rss_per_session_kb");
    }

    /** Every message sent is counted at its recipient, even when several arrive in one read. */
    @Test
    void chat() throws Exception {
        ScenarioResult result = run(new ChatScenario(USERS, 200, 200, 2, 0, 0, 1000));
        assertThat(result.figures()).containsKeys("latency_p50_ms", "latency_p99_ms", "latency_p999_ms");
        assertThat(result.figures().get("delivered")).isEqualTo(((Number) result.figures().get("sent")).longValue());
        assertThat(((Number) result.figures().get("sent")).longValue()).isPositive();
    }

    /** RFC 6121 §3 subscriptions build the rosters, §4.4.2 broadcasts the status changes. */
    @Test
    void presence() throws Exception {
        assumeTrue(rosters, "this Parley build has no roster support (RFC 6121) yet");
        ScenarioResult result = run(new PresenceScenario(USERS, 4, 200, 20, 2));
        assertThat(((Number) result.figures().get("presence_delivered")).longValue()).isPositive();
        assertThat(result.figures().get("delivered_ratio")).isEqualTo(1.0);
    }

    private static ScenarioResult run(Scenario scenario) throws InterruptedException {
        ScenarioResult result = scenario.run(context(rosters));
        System.out.println(result.summaryLine());
        assertThat(result.errors()).as(result.toJson()).isZero();
        assertThat(result.writeJson(dir.resolve("results"))).exists();
        return result;
    }

    private static BenchContext context(boolean rosterGet) {
        ClientOptions clients = new ClientOptions(new InetSocketAddress("127.0.0.1", parley.port()),
                ParleyProcess.DOMAIN, LoadClients.loopbackSources(2), "user", ParleyProcess.PASSWORD, false,
                SaslMechanismChoice.SCRAM_SHA_1, rosterGet, true, false);
        return new BenchContext("parley", clients, 2, parley.pid(), dir.resolve("results"));
    }

    /** Whether the server under test answers a roster get (RFC 6121 §2.1.3) with a result. */
    private static boolean serverAnswersRosterGet() throws Exception {
        ClientOptions options = context(true).clients();
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        try (LoadClients load = new LoadClients(options, 1)) {
            XmppClient client = load.connect(1, new ClientEvents() {
                @Override
                public void ready(XmppClient c) {
                    answer.complete(true);
                }

                @Override
                public void failed(XmppClient c, String reason) {
                    answer.complete(false);
                }
            });
            boolean result = answer.get(30, TimeUnit.SECONDS);
            client.close();
            return result;
        }
    }
}
