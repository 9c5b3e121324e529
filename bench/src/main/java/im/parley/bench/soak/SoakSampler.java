package im.parley.bench.soak;

import im.parley.bench.metrics.ProcessSample;
import im.parley.bench.metrics.ProcessSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Samples the server and the load at a fixed interval on a thread of its own (a forced full
 * collection on the server takes a while, and the load must not wait for it): RSS and CPU from
 * {@code /proc/<pid>}, open file descriptors, the heap after GC through {@link ServerJvm}, and
 * the load's own counts.
 */
final class SoakSampler implements AutoCloseable {
    private static final double MB = 1024 * 1024;
    private static final double PROGRESS_SECONDS = 60;

    private final long pid;
    private final ServerJvm jvm;
    private final MixedLoad sessions;
    private final SoakCounters counters;
    private final HostileChurn churn;
    private final long startNanos;
    private final ProcessSampler process;
    private final HeapResidence heapResidence;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-sampler");
        t.setDaemon(true);
        return t;
    });
    private final List<SoakSample> samples = new ArrayList<>();
    private ProcessSample previous;
    private long previousSent;
    private long previousReceived;
    private long previousChurn;
    private int progressEvery = 1;

    /** {@code jvm} null: no heap figures. */
    SoakSampler(long pid, ServerJvm jvm, MixedLoad sessions, SoakCounters counters, HostileChurn churn,
                long startNanos) {
        this.pid = pid;
        this.jvm = jvm;
        this.sessions = sessions;
        this.counters = counters;
        this.churn = churn;
        this.startNanos = startNanos;
        // Read at each sample (sampleNow); its own timer only adds a reading a minute.
        this.process = ProcessSampler.of(pid, 60_000);
        this.previous = process.sampleNow();
        this.heapResidence = jvm == null ? null : heapResidence(pid, jvm);
    }

    private static HeapResidence heapResidence(long pid, ServerJvm jvm) {
        try {
            return HeapResidence.of(pid, jvm.heapInfo());
        } catch (IOException e) {
            return null;
        }
    }

    void start(double intervalSeconds) {
        long millis = Math.max(1, (long) (intervalSeconds * 1000));
        progressEvery = (int) Math.max(1, Math.round(PROGRESS_SECONDS / intervalSeconds));
        timer.scheduleAtFixedRate(this::sample, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the sampler's thread at {@code seconds} after the start, between samples. */
    void at(double seconds, Runnable task) {
        long delay = startNanos + (long) (seconds * 1e9) - System.nanoTime();
        timer.schedule(task, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    synchronized List<SoakSample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.close();
    }

    private void sample() {
        ServerJvm.HeapReading heap = null;
        if (jvm != null) {
            try {
                heap = jvm.collectAndRead();
            } catch (IOException | RuntimeException e) {
                heap = null; // the server is going away: the sample goes without heap figures
            }
        }
        ProcessSample now = process.sampleNow();
        if (now == null) {
            return;
        }
        long heapResidentKb = heapResidence == null ? -1 : heapResidence.residentKb();
        double seconds = (now.nanos() - previous.nanos()) / 1e9;
        long sent = counters.stanzasSent();
        long received = counters.stanzasReceived();
        long opened = churn.started();
        SoakSample sample = new SoakSample(round((now.nanos() - startNanos) / 1e9), round(now.rssKb() / 1024.0),
                heapResidentKb < 0 ? null : round((now.rssKb() - heapResidentKb) / 1024.0),
                round(100 * (now.cpuSeconds() - previous.cpuSeconds()) / seconds),
                heap == null ? null : round(heap.heapAfterGcBytes() / MB),
                heap == null ? null : round(heap.heapCommittedBytes() / MB),
                heap == null ? null : round(heap.nonHeapBytes() / MB),
                heap == null ? null : heap.gcMillis(),
                heap == null ? null : heap.threads(),
                openFiles(), sessions.online(), sessions.waitingToResume(),
                round((sent - previousSent) / seconds), round((received - previousReceived) / seconds),
                round((opened - previousChurn) / seconds), counters.errors() + churn.unexpected());
        previous = now;
        previousSent = sent;
        previousReceived = received;
        previousChurn = opened;
        synchronized (this) {
            samples.add(sample);
            if (samples.size() % progressEvery == 0) {
                // A long run shows its course on the console (the script keeps it in bench.log).
                System.err.println("soak " + sample);
            }
        }
    }

    private int openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
