package im.parley.bench;

import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.SaslMechanismChoice;
import im.parley.bench.scenario.BenchContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every scenario command takes: where the server is and how clients log in. */
final class CommonOptions {
    @Option(names = "--server", description = "Label of the server in the results (parley, prosody, ejabberd).",
            defaultValue = "parley")
    String server;

    @Option(names = "--host", description = "c2s address of the server.", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--nodes", split = ",", description = "c2s addresses of a cluster's nodes (with --port): "
            + "user n connects to node (n - 1) mod k; --host is then the node whose process --pid names.")
    List<String> nodes = List.of();

    @Option(names = "--port", description = "c2s port.", defaultValue = "5222")
    int port;

    @Option(names = "--domain", description = "XMPP domain of the users.", required = true)
    String domain;

    @Option(names = "--pid", description = "Server process id, to sample its CPU and RSS from /proc.")
    Long pid;

    @Option(names = "--prefix", description = "Users are <prefix>1..<prefix>N.", defaultValue = "user")
    String prefix;

    @Option(names = "--password", description = "The password all users share.", defaultValue = "pw")
    String password;

    @Option(names = "--mechanism", description = "SASL mechanism: PLAIN or SCRAM-SHA-1.", defaultValue = "PLAIN")
    String mechanism;

    @Option(names = "--sources", description = "Number of loopback source addresses 127.0.1.1..n (0: any).",
            defaultValue = "4")
    int sources;

    @Option(names = "--roster", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fetch the roster after binding (default; --no-roster skips it).")
    boolean roster;

    @Option(names = "--threads", description = "Event-loop threads of the load generator.", defaultValue = "2")
    int threads;

    @Option(names = "--out", description = "Directory for the JSON results.", defaultValue = "bench-results")
    Path out;

    BenchContext context() {
        List<InetSocketAddress> sourceAddresses = sources == 0 ? new ArrayList<>() : LoadClients.loopbackSources(sources);
        List<InetSocketAddress> nodeAddresses = nodes.stream().map(node -> new InetSocketAddress(node, port)).toList();
        ClientOptions clients = new ClientOptions(new InetSocketAddress(host, port), domain, sourceAddresses,
                prefix, password, false, SaslMechanismChoice.fromWireName(mechanism), roster, true, false, nodeAddresses);
        return new BenchContext(server, clients, threads, pid, out);
    }
}
