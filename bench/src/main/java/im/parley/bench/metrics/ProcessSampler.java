package im.parley.bench.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a process's CPU time and resident set size from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status} (proc(5)) at a fixed interval, on a daemon thread.
 */
public final class ProcessSampler implements AutoCloseable {
    /** USER_HZ; 100 on every mainstream Linux architecture (proc(5), "times(2)"). */
    static final double TICKS_PER_SECOND = 100.0;

    private final Path stat;
    private final Path status;
    private final List<ProcessSample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer;

    private ProcessSampler(String pid, long intervalMillis) {
        this.stat = Path.of("/proc", pid, "stat");
        this.status = Path.of("/proc", pid, "status");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sampler-" + pid);
            t.setDaemon(true);
            return t;
        });
        sampleNow();
        timer.scheduleAtFixedRate(this::sampleNow, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Samples the process {@code pid} every {@code intervalMillis}. */
    public static ProcessSampler of(long pid, long intervalMillis) {
        return new ProcessSampler(Long.toString(pid), intervalMillis);
    }

    /** Samples this JVM: the load generator measures its own cost. */
    public static ProcessSampler self(long intervalMillis) {
        return new ProcessSampler("self", intervalMillis);
    }

    /** Takes one sample now (also used to mark the start and end of a window). */
    public synchronized ProcessSample sampleNow() {
        ProcessSample sample = read();
        if (sample != null) {
            samples.add(sample);
        }
        return sample;
    }

    /** The samples taken between two marks, inclusive. */
    public synchronized ProcessWindow window(ProcessSample from, ProcessSample to) {
        List<ProcessSample> inside = new ArrayList<>();
        for (ProcessSample s : samples) {
            if (s.nanos() >= from.nanos() && s.nanos() <= to.nanos()) {
                inside.add(s);
            }
        }
        return new ProcessWindow(inside);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The CPU time (utime + stime, in ticks of {@link #TICKS_PER_SECOND}) of a process's or thread's {@code stat} line. */
    static long cpuTicks(String statLine) {
        // Field 2 (comm) may hold spaces; the fields after its closing ')' are fixed.
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    }

    private ProcessSample read() {
        try {
            long ticks = cpuTicks(Files.readString(stat));
            long rssKb = 0;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new ProcessSample(System.nanoTime(), ticks / TICKS_PER_SECOND, rssKb);
        } catch (IOException | RuntimeException e) {
            return null; // the process is gone: the window simply ends
        }
    }
}
