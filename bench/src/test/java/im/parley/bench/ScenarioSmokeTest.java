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
import im.parley.bench.scenario.MamScenario;
import im.parley.bench.scenario.MucScenario;
import im.parley.bench.scenario.PresenceScenario;
import im.parley.bench.scenario.Scenario;
import im.parley.bench.scenario.ScenarioResult;
import im.parley.bench.soak.ChurnLoad;
import im.parley.bench.soak.SoakPlan;
import im.parley.bench.soak.SoakScenario;
import im.parley.bench.soak.Trend;
import im.parley.bench.soak.UserLoad;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        ScenarioResult result = run(new ChatScenario(USERS, 200, 200, 2, 0, 0, 1000, 0));
        assertThat(result.figures()).containsKeys("latency_p50_ms", "latency_p99_ms", "latency_p999_ms");
        assertThat(result.figures().get("delivered")).isEqualTo(((Number) result.figures().get("sent")).longValue());
        assertThat(((Number) result.figures().get("sent")).longValue()).isPositive();
    }

    /**
     * XEP-0045: rooms created as instant rooms (§10.1.2), entered (§7.2, self-presence §7.2.3),
     * and every groupchat message reflected to every occupant (§7.4), counted at each.
     */
    @Test
    void groupChat() throws Exception {
        ScenarioResult result = run(new MucScenario(2, 10, null, 200, 100, 100, 2, 0, 0, 1000));
        assertThat(result.figures()).containsEntry("rooms_created", 2).containsEntry("joins", 18)
                .containsKeys("joins_per_s", "join_latency_p99_ms", "latency_p99_ms");
        assertThat(((Number) result.figures().get("sent")).longValue()).isPositive();
        assertThat(result.figures().get("delivered")).isEqualTo(result.figures().get("deliveries_expected"));
    }

    /** RFC 6121 §3 subscriptions build the rosters, §4.4.2 broadcasts the status changes. */
    @Test
    void presence() throws Exception {
        assumeTrue(rosters, "this Parley build has no roster support (RFC 6121) yet");
        ScenarioResult result = run(new PresenceScenario(USERS, 4, 200, 20, 2));
        assertThat(((Number) result.figures().get("presence_delivered")).longValue()).isPositive();
        assertThat(result.figures().get("delivered_ratio")).isEqualTo(1.0);
    }

    /**
     * XEP-0313 §4 pages of 50 with RSM (XEP-0059 §2.5 "before"), a contact's messages (§4.1.1)
     * and a time range, from an archive filled through the store: every page is full.
     */
    @Test
    void mamPages() throws Exception {
        ScenarioResult result = run(new MamScenario(5, 1, 50, ParleyProcess.ARCHIVE_CONTACTS));
        // Other scenarios' chat to user1 is archived too.
        assertThat(((Number) result.figures().get("archived")).intValue()).isGreaterThanOrEqualTo(ParleyProcess.ARCHIVED);
        assertThat(result.figures()).containsEntry("short_pages", 0).containsKeys("page_p99_ms", "newest_p99_ms", "back_p99_ms", "with_p99_ms", "range_p99_ms");
    }

    /**
     * Issue 17 item 7, the soak, for seconds: logins and logouts over STARTTLS, chat (some to
     * offline users), presence, roster and vCard IQs, sessions that drop and resume (XEP-0198
     * §5), and every kind of unauthenticated churn, each answered as expected; the server's heap
     * after GC and RSS sampled and judged. Too short for the verdict to mean anything, so it
     * only has to be one.
     */
    @Test
    void soak() throws Exception {
        UserLoad users = new UserLoad(USERS, 10, 2, 50, 20, 0.2, 5, 10, 0.5, 0.5, 4);
        ChurnLoad churn = new ChurnLoad(20, 256, parley.directTlsPort(), parley.httpPort(), 10, 10, Set.of());
        SoakPlan plan = new SoakPlan(2, 8, 0.5, new Trend.Limits(5, 10), new Trend.Limits(5, 20));
        ClientOptions soakUsers = new ClientOptions(new InetSocketAddress("127.0.0.1", parley.port()),
                ParleyProcess.DOMAIN, LoadClients.loopbackSources(2), ParleyProcess.SOAK_PREFIX,
                ParleyProcess.PASSWORD, false, SaslMechanismChoice.SCRAM_SHA_1, true, true, false);

        ScenarioResult result = run(new SoakScenario(users, churn, plan),
                new BenchContext("parley", soakUsers, 2, parley.pid(), dir.resolve("results")));

        assertThat(result.figures()).containsKeys("heap_slope_mb_per_h", "rss_slope_mb_per_h", "native_slope_mb_per_h", "histogram_growth",
                "timeline");
        assertThat(result.figures().get("verdict")).isIn("flat", "growing");
        assertThat(result.figures().get("heap_first_third_mb")).isInstanceOf(Double.class)
                .satisfies(heap -> assertThat((Double) heap).isPositive());
        for (String count : List.of("logins", "logouts", "drops", "resumptions", "messages_received",
                "presences_received", "iqs_answered", "churn_connections")) {
            assertThat(((Number) result.figures().get(count)).longValue()).as(count).isPositive();
        }
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> kinds = (Map<String, Map<String, Object>>) result.figures().get("churn");
        assertThat(kinds).hasSize(10);
        kinds.forEach((kind, tally) -> assertThat(((Number) tally.get("expected")).longValue())
                .as(kind + " " + tally).isPositive());
    }

    private static ScenarioResult run(Scenario scenario) throws InterruptedException {
        return run(scenario, context(rosters));
    }

    private static ScenarioResult run(Scenario scenario, BenchContext context) throws InterruptedException {
        ScenarioResult result = scenario.run(context);
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
