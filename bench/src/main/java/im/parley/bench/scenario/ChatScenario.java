package im.parley.bench.scenario;

import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scenario 3, chat: {@code users} online users send chat messages to random other online users
 * (bare JIDs, RFC 6121 §8.5.2) at a fixed total rate. Every message carries an id with its send
 * time; each one received is counted and its end-to-end latency recorded.
 *
 * <p>After the run at the nominal rate, a {@link RateSearch} finds the highest clean rate (100%
 * delivered, no errors, p99 below {@code cleanP99Millis}).
 */
public final class ChatScenario implements Scenario {
    private static final String BODY = "x".repeat(64);
    private static final double DRAIN_SECONDS = 5;

    private final int users;
    private final double loginRate;
    private final double rate;
    private final double seconds;
    private final double searchStepSeconds;
    private final double maxSearchRate;
    private final double cleanP99Millis;

    public ChatScenario(int users, double loginRate, double rate, double seconds,
                        double searchStepSeconds, double maxSearchRate, double cleanP99Millis) {
        this.users = users;
        this.loginRate = loginRate;
        this.rate = rate;
        this.seconds = seconds;
        this.searchStepSeconds = searchStepSeconds;
        this.maxSearchRate = maxSearchRate;
        this.cleanP99Millis = cleanP99Millis;
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public ScenarioResult run(BenchContext context) {
        var options = context.clients().withPresence(context.clients().rosterGet(), true, false);
        try (LoadClients load = new LoadClients(options, context.threads());
             Measurement measurement = new Measurement(context.serverPid())) {
            LoginWave wave = new LoginWave();
            StepCounter counter = new StepCounter();
            wave.traffic(counter);
            wave.run(load, options, users, loginRate);
            List<XmppClient> online = wave.readyClients();
            ScenarioResult result = new ScenarioResult(name(), context.serverLabel())
                    .put("users", users)
                    .put("online", online.size())
                    .put("login_errors", wave.errors());
            if (online.size() < 2) {
                return result.put("errors", wave.errors() + 1).put("failure_reasons", wave.failureReasons());
            }
            // Warm-up, not reported: both JVMs' JIT and the servers' caches settle first.
            step(online, rate, Math.min(5, seconds), counter, measurement, options.domain());
            Map<String, Object> nominal = step(online, rate, seconds, counter, measurement, options.domain());
            result.putAll(nominal);
            List<Map<String, Object>> search = searchHighestCleanRate(online, counter, measurement, options.domain(),
                    nominal);
            double highest = RateSearch.highestClean(search, "rate");
            result.put("highest_clean_rate", Math.round(highest))
                    .put("clean_p99_limit_ms", cleanP99Millis)
                    .put("errors", wave.errors() + counter.errors.get())
                    .put("search", search)
                    .put("failure_reasons", wave.failureReasons());
            wave.closeAll();
            return result;
        }
    }

    private List<Map<String, Object>> searchHighestCleanRate(List<XmppClient> online, StepCounter counter,
                                                             Measurement measurement, String domain,
                                                             Map<String, Object> nominal) {
        if (searchStepSeconds <= 0) {
            return List.of();
        }
        return RateSearch.run(rate, nominal, maxSearchRate,
                next -> step(online, next, searchStepSeconds, counter, measurement, domain));
    }

    /** Sends at {@code stepRate} for {@code stepSeconds}, waits for stragglers, returns the figures. */
    private Map<String, Object> step(List<XmppClient> online, double stepRate, double stepSeconds,
                                     StepCounter counter, Measurement measurement, String domain) {
        String[] recipients = online.stream().map(c -> c.options().bareJid(c.user())).toArray(String[]::new);
        counter.begin(cleanP99Millis);
        var start = measurement.mark();
        int total = (int) Math.min(Integer.MAX_VALUE, Math.round(stepRate * stepSeconds));
        int sent = Pacer.run(stepRate, total, Pacer.secondsFromNow(stepSeconds + 1), i -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int from = random.nextInt(online.size());
            int to = random.nextInt(online.size() - 1);
            if (to >= from) {
                to++;
            }
            online.get(from).sendChat(recipients[to], BODY);
        });
        long sendEnd = System.nanoTime();
        var end = measurement.mark();
        Pacer.await(() -> counter.delivered.get() >= sent, Pacer.secondsFromNow(DRAIN_SECONDS));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rate", stepRate);
        figures.put("sent", sent);
        figures.putAll(counter.figures(sent, "achieved_send_rate", sent, sendEnd, measurement.figures(start, end),
                cleanP99Millis));
        return figures;
    }
}
