package im.parley.bench.scenario;

import im.parley.bench.client.LoadClients;
import im.parley.bench.metrics.ProcessWindow;

/**
 * Scenario 2, idle sessions: {@code users} authenticated sessions over STARTTLS are held open
 * for {@code holdSeconds}; the server's RSS before and after gives the memory per TLS session.
 *
 * <p>So that the figure is memory per session, not the one-off cost of a server's first logins,
 * a {@link Warmup} comes before the "before" reading.
 */
public final class IdleSessionsScenario implements Scenario {
    private final int users;
    private final double rate;
    private final double holdSeconds;
    private final Warmup warmup;

    public IdleSessionsScenario(int users, double rate, double holdSeconds, int warmupUsers, double settleSeconds) {
        this.users = users;
        this.rate = rate;
        this.holdSeconds = holdSeconds;
        this.warmup = new Warmup(warmupUsers, settleSeconds);
    }

    @Override
    public String name() {
        return "idle_tls";
    }

    @Override
    public ScenarioResult run(BenchContext context) {
        var options = context.clients().withStartTls(true).withPresence(context.clients().rosterGet(), true, false);
        try (LoadClients load = new LoadClients(options, context.threads());
             Measurement measurement = new Measurement(context.serverPid())) {
            warmup.run(load, options, rate);
            var before = measurement.mark();
            LoginWave wave = new LoginWave().run(load, options, users, rate);
            Pacer.await(() -> false, Pacer.secondsFromNow(holdSeconds));
            var after = measurement.mark();
            ScenarioResult result = warmup.describe(new ScenarioResult(name(), context.serverLabel()))
                    .put("users", users)
                    .put("sessions", wave.readyClients().size())
                    .put("errors", wave.errors())
                    .put("hold_s", holdSeconds);
            ProcessWindow server = measurement.server(before, after);
            if (server != null) {
                long sessions = Math.max(1, wave.readyClients().size());
                result.put("rss_before_mb", server.rssStartKb() / 1024.0)
                        .put("rss_after_mb", server.rssEndKb() / 1024.0)
                        .put("rss_per_session_kb",
                                Math.round(10.0 * (server.rssEndKb() - server.rssStartKb()) / sessions) / 10.0);
            }
            result.putAll(measurement.figures(before, after)).put("failure_reasons", wave.failureReasons());
            wave.closeAll();
            return result;
        }
    }
}
