package im.parley.bench.scenario;

import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import im.parley.bench.metrics.CompilerThreads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scenario 3, chat: {@code users} online users send chat messages to random other online users
 * (bare JIDs, RFC 6121 §8.5.2) at a fixed total rate. Every message carries an id with its send
 * time; each one received is counted and its end-to-end latency recorded.
 *
 * <p>After a warm-up at the nominal rate that lasts until the server's JIT has compiled what the
 * load runs ({@link #warmUp}), the run at the nominal rate, then a {@link RateSearch} finds the
 * highest clean rate (100% delivered, no errors, p99 below {@code cleanP99Millis}); a step that
 * failed while the server's JIT compiled is run once more ({@link RateSearch#repeatedAfterCompiling}).
 */
public final class ChatScenario implements Scenario {
    private static final String BODY = "x".repeat(64);
    private static final double DRAIN_SECONDS = 5;
    /** A warm-up step's length; the first warm-up step is the least warm-up. */
    static final double WARMUP_STEP_SECONDS = 5;
    /** The warm-up ends once the server's JIT compilers took less than this share of a core in a step. */
    static final double JIT_QUIET_SHARE = 0.05;

    private final int users;
    private final double loginRate;
    private final double rate;
    private final double seconds;
    private final double searchStepSeconds;
    private final double maxSearchRate;
    private final double cleanP99Millis;
    private final double maxWarmupSeconds;

    /**
     * @param maxWarmupSeconds the longest warm-up, whatever the server's compilers do; at most
     *     one step ({@link #WARMUP_STEP_SECONDS}) if not above it
     */
    public ChatScenario(int users, double loginRate, double rate, double seconds, double searchStepSeconds,
                        double maxSearchRate, double cleanP99Millis, double maxWarmupSeconds) {
        this.users = users;
        this.loginRate = loginRate;
        this.rate = rate;
        this.seconds = seconds;
        this.searchStepSeconds = searchStepSeconds;
        this.maxSearchRate = maxSearchRate;
        this.cleanP99Millis = cleanP99Millis;
        this.maxWarmupSeconds = maxWarmupSeconds;
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
            CompilerThreads jit = context.serverPid() == null ? null : CompilerThreads.of(context.serverPid());
            WarmedUp warmed = warmUp(online, counter, measurement, options.domain(), jit);
            result.put("warmup_s", warmed.seconds()).put("warmup_server_jit_cpu_s", warmed.jitSeconds());
            Map<String, Object> nominal = step(online, rate, seconds, counter, measurement, options.domain(), jit);
            result.putAll(nominal);
            List<Map<String, Object>> search = searchHighestCleanRate(online, counter, measurement, options.domain(),
                    nominal, jit);
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

    /**
     * Warm-up steps at the nominal rate, not reported: at least {@link #WARMUP_STEP_SECONDS}, then
     * more of them until the server's JIT compilers took less than {@link #JIT_QUIET_SHARE} of a
     * core in the last one ({@link CompilerThreads}), at most {@code maxWarmupSeconds} in all.
     * HotSpot compiles a server's hot code with C2 over its first minute or so under load (on this
     * project's 2-core machine, about 50 s, more code with the archive on: docs/benchmarks.md, "The
     * JIT's warm-up and the rate search"); a step measured meanwhile measures the compiler threads'
     * share of the cores as well as the server. A server without compiler threads
     * (Prosody, ejabberd) is warm after the first step, as before.
     */
    private WarmedUp warmUp(List<XmppClient> online, StepCounter counter, Measurement measurement, String domain,
                            CompilerThreads jit) {
        double warmed = 0;
        double jitSeconds = 0;
        while (true) {
            double stepSeconds = Math.min(WARMUP_STEP_SECONDS, seconds);
            Map<String, Object> figures = step(online, rate, stepSeconds, counter, measurement, domain, jit);
            warmed += stepSeconds;
            double lastStep = ((Number) figures.getOrDefault("server_jit_cpu_s", 0.0)).doubleValue();
            jitSeconds += lastStep;
            // A chat of no seconds has no warm-up step to repeat: without the last test, a busy
            // compiler would keep it warming up for ever (warmed never grows).
            if (lastStep < JIT_QUIET_SHARE * stepSeconds || warmed >= maxWarmupSeconds || stepSeconds <= 0) {
                return new WarmedUp(warmed, hundredths(jitSeconds));
            }
        }
    }

    private record WarmedUp(double seconds, double jitSeconds) {
    }

    private List<Map<String, Object>> searchHighestCleanRate(List<XmppClient> online, StepCounter counter,
                                                             Measurement measurement, String domain,
                                                             Map<String, Object> nominal, CompilerThreads jit) {
        if (searchStepSeconds <= 0) {
            return List.of();
        }
        return RateSearch.run(rate, nominal, maxSearchRate, RateSearch.repeatedAfterCompiling(
                next -> step(online, next, searchStepSeconds, counter, measurement, domain, jit),
                searchStepSeconds, JIT_QUIET_SHARE));
    }

    /**
     * Sends at {@code stepRate} for {@code stepSeconds}, waits for stragglers, returns the figures;
     * with {@code jit}, the CPU the server's JIT compilers took meanwhile ({@code server_jit_cpu_s}).
     */
    private Map<String, Object> step(List<XmppClient> online, double stepRate, double stepSeconds,
                                     StepCounter counter, Measurement measurement, String domain, CompilerThreads jit) {
        if (jit != null) {
            jit.since(); // from the step's start
        }
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
        if (jit != null) {
            figures.put("server_jit_cpu_s", hundredths(jit.since()));
        }
        return figures;
    }

    private static double hundredths(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
