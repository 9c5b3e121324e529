package im.parley.bench.scenario;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import im.parley.bench.metrics.LatencyRecorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;

/**
 * Scenario 3, chat: {@code users} online users send chat messages to random other online users
 * (bare JIDs, RFC 6121 §8.5.2) at a fixed total rate. Every message carries an id with its send
 * time; each one received is counted and its end-to-end latency recorded.
 *
 * <p>After the run at the nominal rate, a search doubles the rate while a step stays clean
 * (100% delivered, no errors, p99 below {@code cleanP99Millis}), then bisects between the last
 * clean and the first unclean rate: the result is the highest clean rate found.
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
            double highest = search.stream().filter(s -> Boolean.TRUE.equals(s.get("clean")))
                    .mapToDouble(s -> ((Number) s.get("rate")).doubleValue()).max().orElse(0);
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
        List<Map<String, Object>> steps = new ArrayList<>();
        if (searchStepSeconds <= 0) {
            return steps;
        }
        Map<String, Object> first = new LinkedHashMap<>(nominal);
        steps.add(first);
        double clean = isClean(first) ? rate : 0;
        double unclean = isClean(first) ? 0 : rate;
        // Doubling, then three bisections: bounded at about a dozen short steps.
        double next = clean > 0 ? rate * 2 : rate / 2;
        for (int i = 0; i < 12 && next <= maxSearchRate && next >= 10; i++) {
            Map<String, Object> s = step(online, next, searchStepSeconds, counter, measurement, domain);
            steps.add(s);
            if (isClean(s)) {
                clean = Math.max(clean, next);
            } else {
                unclean = unclean == 0 ? next : Math.min(unclean, next);
            }
            if (unclean == 0) {
                next = clean * 2;
            } else if (clean == 0) {
                next = unclean / 2;
            } else if (unclean / clean > 1.15) {
                next = Math.round((clean + unclean) / 2);
            } else {
                break;
            }
        }
        return steps;
    }

    private boolean isClean(Map<String, Object> step) {
        return Boolean.TRUE.equals(step.get("clean"));
    }

    /** Sends at {@code stepRate} for {@code stepSeconds}, waits for stragglers, returns the figures. */
    private Map<String, Object> step(List<XmppClient> online, double stepRate, double stepSeconds,
                                     StepCounter counter, Measurement measurement, String domain) {
        String[] recipients = online.stream().map(c -> c.options().bareJid(c.user())).toArray(String[]::new);
        counter.begin();
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
        long delivered = counter.delivered.get();
        figures.put("rate", stepRate);
        figures.put("sent", sent);
        figures.put("delivered", delivered);
        figures.put("delivered_ratio", sent == 0 ? 0 : Math.round(10000.0 * delivered / sent) / 10000.0);
        figures.put("achieved_send_rate", Math.round(sent / ((sendEnd - counter.startNanos) / 1e9)));
        figures.put("message_errors", counter.errors.get() - counter.errorsAtStart);
        figures.putAll(counter.latency.figures("latency"));
        figures.putAll(measurement.figures(start, end));
        double p99 = ((Number) figures.get("latency_p99_ms")).doubleValue();
        figures.put("clean", delivered == sent && sent > 0 && counter.errors.get() == counter.errorsAtStart
                && p99 < cleanP99Millis);
        return figures;
    }

    /**
     * Counts the messages of the current step: a message sent before the step began is a
     * straggler of an earlier step and is not counted again.
     */
    private static final class StepCounter implements ClientEvents {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile LatencyRecorder latency = new LatencyRecorder();
        volatile long startNanos;
        long errorsAtStart;

        void begin() {
            latency = new LatencyRecorder();
            delivered.set(0);
            errorsAtStart = errors.get();
            startNanos = System.nanoTime();
        }

        @Override
        public void messageReceived(XmppClient client, long latencyNanos) {
            if (System.nanoTime() - latencyNanos - startNanos >= 0) {
                delivered.incrementAndGet();
                latency.recordNanos(latencyNanos);
            }
        }

        @Override
        public void messageError(XmppClient client, Element message) {
            errors.incrementAndGet();
        }

        @Override
        public void failed(XmppClient client, String reason) {
            errors.incrementAndGet();
        }
    }
}
