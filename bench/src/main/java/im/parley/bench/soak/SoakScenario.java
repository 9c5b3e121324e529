package im.parley.bench.soak;

import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.LoadClients;
import im.parley.bench.scenario.BenchContext;
import im.parley.bench.scenario.RosterBuilder;
import im.parley.bench.scenario.Scenario;
import im.parley.bench.scenario.ScenarioResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The soak of issue 17 item 7: a long run of mixed authenticated load ({@link MixedLoad}) with
 * unauthenticated churn ({@link HostileChurn}) at the same time, sampling the server's memory
 * ({@link SoakSampler}), and a verdict on whether its heap after GC and its RSS stayed flat
 * ({@link Trend}) over the measured part, after a warm-up. A class histogram at the start and
 * the end of the measured part names what grew.
 *
 * <p>Logged-in clients use STARTTLS (the server's default requires it) with the context's SASL
 * mechanism.
 */
public final class SoakScenario implements Scenario {
    private static final double ROSTER_SETUP_TIMEOUT_SECONDS = 180;
    private static final long TICK_NANOS = 5_000_000;
    private static final int HISTOGRAM_ROWS = 15;

    private final UserLoad users;
    private final ChurnLoad churn;
    private final SoakPlan plan;

    public SoakScenario(UserLoad users, ChurnLoad churn, SoakPlan plan) {
        this.users = users;
        this.churn = churn;
        this.plan = plan;
    }

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public ScenarioResult run(BenchContext context) {
        if (context.serverPid() == null) {
            throw new IllegalArgumentException("the soak samples the server's process: give its --pid");
        }
        ClientOptions options = context.clients().withStartTls(true).withPresence(true, true, false);
        BenchContext tlsContext = new BenchContext(context.serverLabel(), options, context.threads(),
                context.serverPid(), context.outDir());
        ScenarioResult result = describe(new ScenarioResult(name(), context.serverLabel()));
        long setupErrors = users.contacts() == 0 ? 0
                : new RosterBuilder(users.users(), users.contacts(), users.loginRate(), ROSTER_SETUP_TIMEOUT_SECONDS)
                        .build(tlsContext, result);
        ServerJvm jvm = attach(context.serverPid(), result);
        SoakCounters counters = new SoakCounters();
        long start = System.nanoTime();
        try (LoadClients clients = new LoadClients(options, context.threads());
             HostileChurn hostile = new HostileChurn(churn, options, users.users(), start)) {
            MixedLoad mixed = new MixedLoad(users, options, clients, counters, start);
            SoakSampler sampler = new SoakSampler(context.serverPid(), jvm, mixed, counters, hostile, start);
            AtomicReference<ClassHistogram> before = new AtomicReference<>();
            try (sampler) {
                sampler.start(plan.sampleSeconds());
                if (jvm != null) {
                    sampler.at(plan.warmupSeconds(), () -> before.set(histogram(jvm, context, "start")));
                }
                long end = start + (long) ((plan.warmupSeconds() + plan.seconds()) * 1e9);
                for (long now = System.nanoTime(); now - end < 0; now = System.nanoTime()) {
                    mixed.tick(now);
                    hostile.tick(now);
                    LockSupport.parkNanos(TICK_NANOS);
                }
            }
            if (jvm != null && before.get() != null) {
                ClassHistogram after = histogram(jvm, context, "end");
                result.put("histogram_growth", after.growthSince(before.get(), HISTOGRAM_ROWS));
            }
            mixed.logoutAll();
            report(result, sampler, counters, hostile, setupErrors);
        } finally {
            if (jvm != null) {
                jvm.close();
            }
        }
        return result;
    }

    private ScenarioResult describe(ScenarioResult result) {
        return result.put("warmup_s", plan.warmupSeconds())
                .put("measured_s", plan.seconds())
                .put("sample_s", plan.sampleSeconds())
                .put("users", users.users())
                .put("online_target", users.online())
                .put("session_s", users.sessionSeconds())
                .put("chat_rate", users.chatRate())
                .put("offline_share", users.offlineShare())
                .put("presence_rate", users.presenceRate())
                .put("iq_rate", users.iqRate())
                .put("sm_share", users.smShare())
                .put("contacts", users.contacts())
                .put("churn_rate", churn.rate())
                .put("churn_sources", churn.sources());
    }

    private void report(ScenarioResult result, SoakSampler sampler, SoakCounters counters, HostileChurn hostile,
                        long setupErrors) {
        List<SoakSample> all = sampler.samples();
        List<SoakSample> measured = all.stream().filter(s -> s.seconds() >= plan.warmupSeconds()).toList();
        Trend heap = trend(measured, SoakSample::heapAfterGcMb);
        Trend rss = trend(measured, SoakSample::rssMb);
        Trend nativeRss = trend(measured, SoakSample::rssOutsideHeapMb);
        String heapVerdict = heap.verdict(plan.heapLimits());
        String rssVerdict = rss.verdict(plan.rssLimits());
        // Total RSS moves with the heap G1 holds at the moment (HeapResidence): with the heap
        // judged by its live set, memory is judged by the RSS outside the heap when it is known.
        boolean split = measured.stream().allMatch(s -> s.rssOutsideHeapMb() != null) && !measured.isEmpty();
        String memoryVerdict = split ? nativeRss.verdict(plan.rssLimits()) : rssVerdict;
        result.put("logins", counters.logins.sum())
                .put("logouts", counters.logouts.sum())
                .put("drops", counters.drops.sum())
                .put("resumptions", counters.resumptions.sum())
                .put("messages_sent", counters.messagesSent.sum())
                .put("messages_received", counters.messagesReceived.sum())
                .put("presences_sent", counters.presencesSent.sum())
                .put("presences_received", counters.presencesReceived.sum())
                .put("iqs_sent", counters.iqsSent.sum())
                .put("iqs_answered", counters.iqsAnswered.sum())
                .put("churn_connections", hostile.started())
                .put("churn_unexpected", hostile.unexpected())
                .put("samples", measured.size())
                .put("online_avg", Math.round(average(measured, s -> (double) s.online())))
                .put("stanzas_per_s_avg", Math.round(average(measured, s -> s.sentPerS() + s.receivedPerS())))
                .put("churn_per_s_avg", Math.round(average(measured, SoakSample::churnPerS)))
                .put("server_cpu_avg_pct", Math.round(average(measured, SoakSample::cpuPct)))
                .put("server_rss_peak_mb", Math.round(all.stream().mapToDouble(SoakSample::rssMb).max().orElse(0)))
                .put("forced_gc_ms_max", measured.stream().filter(s -> s.gcMs() != null)
                        .mapToLong(SoakSample::gcMs).max().orElse(0))
                .put("fds_first", measured.isEmpty() ? 0 : measured.get(0).fds())
                .put("fds_last", measured.isEmpty() ? 0 : measured.get(measured.size() - 1).fds())
                .putAll(heap.figures("heap", plan.heapLimits()))
                .putAll(rss.figures("rss", plan.rssLimits()))
                .putAll(split ? nativeRss.figures("native", plan.rssLimits()) : Map.of())
                .put("verdict", verdict(heapVerdict, memoryVerdict))
                .put("setup_errors", setupErrors)
                .put("errors", setupErrors + counters.errors() + hostile.unexpected())
                .put("error_reasons", counters.reasons())
                .put("churn", hostile.figures())
                .put("timeline", all);
    }

    /**
     * Flat only when both the heap and the resident memory outside it are (total RSS where the
     * split is unknown); growing when either grew; otherwise too short to tell.
     */
    private static String verdict(String heap, String rss) {
        if ("growing".equals(heap) || "growing".equals(rss)) {
            return "growing";
        }
        return "flat".equals(heap) && "flat".equals(rss) ? "flat" : "too_short";
    }

    private static Trend trend(List<SoakSample> samples, Function<SoakSample, Double> value) {
        return Trend.of(samples.stream().filter(s -> value.apply(s) != null)
                .map(s -> new Trend.Point(s.seconds(), value.apply(s))).toList());
    }

    private static double average(List<SoakSample> samples, java.util.function.ToDoubleFunction<SoakSample> value) {
        return samples.stream().mapToDouble(value).average().orElse(0);
    }

    private static ServerJvm attach(Long pid, ScenarioResult result) {
        if (pid == null) {
            result.put("heap_source", "none: no --pid");
            return null;
        }
        try {
            ServerJvm jvm = ServerJvm.attach(pid);
            result.put("heap_source", "JMX (Attach API), after a forced full GC");
            return jvm;
        } catch (IOException | RuntimeException e) {
            result.put("heap_source", "none: " + e.getMessage());
            return null;
        }
    }

    /** Takes a class histogram and keeps it next to the JSON result. */
    private static ClassHistogram histogram(ServerJvm jvm, BenchContext context, String when) {
        try {
            String text = jvm.classHistogram();
            Files.createDirectories(context.outDir());
            Path file = context.outDir().resolve(context.serverLabel() + "-soak-histogram-" + when + ".txt");
            Files.writeString(file, text);
            return ClassHistogram.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
