package im.parley.bench.scenario;

import im.parley.bench.client.LoadClients;
import im.parley.bench.metrics.ProcessWindow;

/**
 * Scenario 2, idle sessions: {@code users} authenticated sessions over STARTTLS are held open
 * for {@code holdSeconds}; the server's RSS before and after gives the memory per TLS session.
 *
 * <p>So that the figure is memory per session, not the one-off cost of a server's first logins
 * (code a JIT compiles, caches and pools it fills), {@code warmupUsers} sessions first log in
 * and out the same way, and the server gets {@code settleSeconds} to come to rest before the
 * "before" reading. Every server gets the same warm-up.
 */
public final class IdleSessionsScenario implements Scenario {
    private final int users;
    private final double rate;
    private final double holdSeconds;
    private final int warmupUsers;
    private final double settleSeconds;

    public IdleSessionsScenario(int users, double rate, double holdSeconds, int warmupUsers, double settleSeconds) {
        this.users = users;
        this.rate = rate;
        this.holdSeconds = holdSeconds;
        this.warmupUsers = warmupUsers;
        this.settleSeconds = settleSeconds;
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
            if (warmupUsers > 0) {
                new LoginWave().run(load, options, warmupUsers, rate).closeAll();
            }
            Pacer.await(() -> false, Pacer.secondsFromNow(settleSeconds));
            var before = measurement.mark();
            LoginWave wave = new LoginWave().run(load, options, users, rate);
            Pacer.await(() -> false, Pacer.secondsFromNow(holdSeconds));
            var after = measurement.mark();
            ScenarioResult result = new ScenarioResult(name(), context.serverLabel())
                    .put("users", users)
                    .put("sessions", wave.readyClients().size())
                    .put("errors", wave.errors())
                    .put("hold_s", holdSeconds)
                    .put("warmup_users", warmupUsers)
                    .put("settle_s", settleSeconds);
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
