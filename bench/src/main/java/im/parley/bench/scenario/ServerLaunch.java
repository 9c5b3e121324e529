package im.parley.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts a server as its user would, from a command line in a working directory, and tells when
 * its c2s port first accepts a connection. The command must become the server process (as
 * {@code bin/parley} does with {@code exec}), so that its pid is the server's for /proc sampling.
 *
 * @param command    the command line, e.g. {@code bin/parley run}
 * @param directory  its working directory (where a default {@code ./parley.yml} and {@code ./data} live)
 * @param log        the server's console output goes here
 * @param c2s        the address whose accepting marks the start
 * @param maxSeconds how long the start may take before the run fails
 */
public record ServerLaunch(List<String> command, Path directory, Path log, InetSocketAddress c2s, double maxSeconds) {
    private static final long POLL_NANOS = 2_000_000;
    private static final int STOP_SECONDS = 30;

    public ServerLaunch {
        command = List.copyOf(command);
    }

    /** Execs the command now; the clock of {@link Running#awaitPort()} starts here. */
    public Running start() {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            long execNanos = System.nanoTime();
            return new Running(builder.start(), execNanos);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** A started server; closing it stops it (SIGTERM, then SIGKILL after 30 s). */
    public final class Running implements AutoCloseable {
        private final Process process;
        private final long execNanos;

        private Running(Process process, long execNanos) {
            this.process = process;
            this.execNanos = execNanos;
        }

        public long pid() {
            return process.pid();
        }

        public long execNanos() {
            return execNanos;
        }

        public boolean alive() {
            return process.isAlive();
        }

        /** Nanoseconds from the exec until the c2s port accepted a connection. */
        public long awaitPort() {
            long deadline = execNanos + (long) (maxSeconds * 1e9);
            while (System.nanoTime() - deadline < 0) {
                try (Socket socket = new Socket()) {
                    socket.connect(c2s, 1000);
                    return System.nanoTime() - execNanos;
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the server exited with " + process.exitValue()
                                + " before its port opened; see " + log);
                    }
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
            throw new IllegalStateException("the server's port " + c2s + " did not open within " + maxSeconds + " s");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            }
        }
    }
}
