package im.parley.bench.scenario;

import im.parley.bench.client.ClientOptions;
import java.nio.file.Path;

/**
 * What every scenario run shares.
 *
 * @param serverLabel names the server in the results, e.g. {@code parley}
 * @param clients     how the simulated clients log in
 * @param threads     event-loop threads of the load generator
 * @param serverPid   the server's process id for /proc sampling, or null if it is not local
 * @param outDir      where the JSON results go
 */
public record BenchContext(String serverLabel, ClientOptions clients, int threads, Long serverPid, Path outDir) {
}
