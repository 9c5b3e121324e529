package im.parley.bench.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time a process's JIT compiler threads take: HotSpot names them {@code C1 CompilerThreadN}
 * and {@code C2 CompilerThreadN} ({@code comm} keeps 15 characters of a name, proc(5)), read from
 * {@code /proc/<pid>/task/<tid>/comm} and {@code stat}. HotSpot starts and ends compiler threads
 * as its queue grows and shrinks (UseDynamicNumberOfCompilerThreads), and a thread's time goes with
 * it, so {@link #since} counts each thread by its own id: a thread gone since the last reading adds
 * nothing, a new one all it took. A process that has no such threads (Prosody, ejabberd) takes 0.
 */
public final class CompilerThreads {
    private final Path tasks;
    private Map<String, Long> last = Map.of();

    private CompilerThreads(Path tasks) {
        this.tasks = tasks;
        last = read();
    }

    /** The compiler threads of process {@code pid}, from now on. */
    public static CompilerThreads of(long pid) {
        return at(Path.of("/proc", Long.toString(pid), "task"));
    }

    /** The compiler threads under {@code tasks}, a {@code /proc/<pid>/task} directory (or a copy of one, in tests). */
    static CompilerThreads at(Path tasks) {
        return new CompilerThreads(tasks);
    }

    /** The CPU seconds the compiler threads took since the last call (or since this was made). */
    public synchronized double since() {
        Map<String, Long> now = read();
        long ticks = 0;
        for (Map.Entry<String, Long> thread : now.entrySet()) {
            ticks += thread.getValue() - last.getOrDefault(thread.getKey(), 0L);
        }
        last = now;
        return ticks / ProcessSampler.TICKS_PER_SECOND;
    }

    private Map<String, Long> read() {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        ticks.put(thread.getFileName().toString(),
                                ProcessSampler.cpuTicks(Files.readString(thread.resolve("stat"))));
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended while it was read: it counts no more.
                }
            });
        } catch (IOException e) {
            // The process is gone (or not on this machine): nothing compiles.
        }
        return ticks;
    }
}
