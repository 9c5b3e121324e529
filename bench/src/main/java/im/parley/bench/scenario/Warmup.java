package im.parley.bench.scenario;

import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.LoadClients;

/**
 * A warm-up before a measured phase: {@code users} sessions log in the way the scenario's will
 * and log out again, then the server gets {@code settleSeconds} of rest. The figures then show
 * the server in its steady state, not the one-off cost of its first logins (code a JIT compiles,
 * caches and pools it fills); every server gets the same warm-up.
 */
record Warmup(int users, double settleSeconds) {

    void run(LoadClients load, ClientOptions options, double rate) {
        if (users > 0) {
            new LoginWave().run(load, options, users, rate).closeAll();
        }
        Pacer.await(() -> false, Pacer.secondsFromNow(settleSeconds));
    }

    ScenarioResult describe(ScenarioResult result) {
        return result.put("warmup_users", users).put("settle_s", settleSeconds);
    }
}
