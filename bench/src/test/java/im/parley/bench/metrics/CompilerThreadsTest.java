package im.parley.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JIT compiler threads' CPU, read as proc(5) lays out {@code /proc/<pid>/task}. */
class CompilerThreadsTest {

    @TempDir
    Path tasks;

    @Test
    void countsOnlyTheCompilerThreadsTimeSinceTheLastReading() throws IOException {
        thread("101", "C2 CompilerThre", 500, 20);
        thread("102", "C1 CompilerThre", 100, 0);
        thread("103", "parley-io-3-1", 9000, 900);
        CompilerThreads compilers = CompilerThreads.at(tasks);

        thread("101", "C2 CompilerThre", 650, 30);
        thread("102", "C1 CompilerThre", 105, 0);
        thread("103", "parley-io-3-1", 20000, 2000);

        assertThat(compilers.since()).isEqualTo(1.65); // (160 + 5) ticks at 100 a second
        assertThat(compilers.since()).isZero();
    }

    @Test
    void aThreadThatEndedAddsNothingAndANewOneAllItTook() throws IOException {
        thread("101", "C2 CompilerThre", 500, 0);
        CompilerThreads compilers = CompilerThreads.at(tasks);

        Files.walk(tasks.resolve("101")).sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        thread("104", "C2 CompilerThre", 40, 2);

        assertThat(compilers.since()).isEqualTo(0.42);
    }

    @Test
    void aProcessWithoutCompilerThreadsOrGoneTakesNothing() throws IOException {
        thread("201", "lua5.4", 100, 10);
        CompilerThreads compilers = CompilerThreads.at(tasks);
        thread("201", "lua5.4", 900, 90);

        assertThat(compilers.since()).isZero();
        assertThat(CompilerThreads.at(tasks.resolve("gone")).since()).isZero();
    }

    /** A task directory whose {@code stat} has {@code utime} and {@code stime} as fields 14 and 15. */
    private void thread(String tid, String comm, long utime, long stime) throws IOException {
        Path dir = Files.createDirectories(tasks.resolve(tid));
        Files.writeString(dir.resolve("comm"), comm + "\n");
        Files.writeString(dir.resolve("stat"), tid + " (" + comm + ") S 1 1 1 0 -1 4194624 10 0 0 0 "
                + utime + " " + stime + " 0 0 20 0 30 0 100 0 0\n");
    }
}
