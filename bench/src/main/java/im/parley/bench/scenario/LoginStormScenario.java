package im.parley.bench.scenario;

import im.parley.bench.client.LoadClients;

/**
 * Scenario 1, login storm: {@code users} users connect and log in at {@code rate} per second
 * (STARTTLS if the context says so), fetch their roster and send initial presence, as tsung's
 * login scenario does; then all log out. An optional {@link Warmup} comes first.
 */
public final class LoginStormScenario implements Scenario {
    private final int users;
    private final double rate;
    private final boolean startTls;
    private final Warmup warmup;

    public LoginStormScenario(int users, double rate, boolean startTls) {
        this(users, rate, startTls, 0, 0);
    }

    public LoginStormScenario(int users, double rate, boolean startTls, int warmupUsers, double settleSeconds) {
        this.users = users;
        this.rate = rate;
        this.startTls = startTls;
        this.warmup = new Warmup(warmupUsers, settleSeconds);
    }

    @Override
    public String name() {
        return startTls ? "login_starttls" : "login_plain";
    }

    @Override
    public ScenarioResult run(BenchContext context) {
        var options = context.clients().withStartTls(startTls).withPresence(context.clients().rosterGet(), true, false);
        try (LoadClients load = new LoadClients(options, context.threads());
             Measurement measurement = new Measurement(context.serverPid())) {
            warmup.run(load, options, rate);
            var start = measurement.mark();
            LoginWave wave = new LoginWave().run(load, options, users, rate);
            var end = measurement.mark();
            ScenarioResult result = warmup.describe(new ScenarioResult(name(), context.serverLabel()))
                    .put("users", users)
                    .put("offered_rate", rate)
                    .put("mechanism", options.mechanism().wireName())
                    .put("logins_ok", wave.loggedIn())
                    .put("ready", wave.ready())
                    .put("errors", wave.errors())
                    .put("logins_per_s", Math.round(wave.loginsPerSecond()))
                    .putAll(wave.loginLatency().figures("login"))
                    .putAll(measurement.figures(start, end))
                    .put("failure_reasons", wave.failureReasons());
            wave.closeAll();
            return result;
        }
    }
}
