package im.parley.conformance.cluster;

import static org.awaitility.Awaitility.await;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.core.jid.Jids;
import im.parley.server.account.AccountService;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.storage.ContactState;
import im.parley.server.storage.Database;
import im.parley.server.storage.JdbcAccountStore;
import im.parley.server.storage.JdbcRosterStore;
import im.parley.server.storage.PostgresCluster;
import im.parley.server.storage.RosterItem;
import im.parley.server.storage.RosterStore;
import im.parley.server.storage.Subscription;
import im.parley.server.testing.LoopbackPorts;
import im.parley.server.testing.ParleyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jxmpp.jid.EntityBareJid;

/**
 * Parley processes on loopback addresses (one JVM each) forming one cluster (Hazelcast, TCP-IP
 * join) on one throw-away PostgreSQL database, serving one domain: what the cluster tests start.
 * Accounts are created, each the others' contact both ways, before the nodes start.
 */
final class LoopbackCluster implements AutoCloseable {

    static final String PASSWORD = "cluster password";
    /** The account (when among those created) that every node makes a server admin (XEP-0133). */
    static final String ADMIN = "escalus";
    /** Nodes that neither listen for nor open server-to-server streams. */
    private static final Function<Node, String> NO_FEDERATION = node -> "s2s:\n  enabled: false";
    static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The default (10 s): four JVMs on a CI machine of two cores (three nodes and the tests, one
     * thawing after a freeze) must not miss each other's heartbeats for this long without reason,
     * since a node taken for dead that was not splits the cluster, and the side that merges back
     * closes its sessions. At 5 s that happened (December 2026, FrozenNodeComesBackTest): the
     * second node sent no heartbeat for about six seconds while the frozen third was being
     * removed, the first took it for dead too, and the test's client on it never saw the frozen
     * user's unavailable presence. Hazelcast warns against short heartbeat timeouts under load
     * for the same reason. Killed nodes are noticed at once anyway (their connections fail).
     */
    static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String domain;
    private final String database;
    private final List<Node> nodes = new ArrayList<>();
    private final List<RawXmppClient> clients = new CopyOnWriteArrayList<>();

    /** One node: its addresses, ports, directory, configuration and process (null while it is down). */
    static final class Node {
        final String address;
        final int c2sPort;
        final int httpPort;
        final int clusterPort;
        /** The port of its s2s listener, when {@link #start(Path, String, List, Function, String...)} enables it. */
        final int s2sPort;
        final Path dir;
        private String config;
        private volatile ParleyProcess process;

        private Node(String address, Path dir) throws IOException {
            this.address = address;
            this.c2sPort = freePort(address);
            this.httpPort = freePort(address);
            this.clusterPort = freePort(address);
            this.s2sPort = freePort(address);
            this.dir = Files.createDirectories(dir.resolve(address));
        }

        ParleyProcess process() {
            return process;
        }

        boolean isUp() {
            return process != null;
        }

        /** The self-signed certificate the node generated for the domain on first start. */
        X509Certificate certificate(String domain) throws Exception {
            return LoopbackCluster.certificate(dir, domain);
        }

        @Override
        public String toString() {
            return address;
        }
    }

    private LoopbackCluster(String domain, String database) {
        this.domain = domain;
        this.database = database;
    }

    /**
     * Starts a node on each of {@code addresses} with accounts {@code usernames} (password
     * {@link #PASSWORD}), and waits until every node sees all of them.
     */
    static LoopbackCluster start(Path dir, String domain, List<String> addresses, String... usernames)
            throws Exception {
        return start(dir, domain, addresses, List.of(), NO_FEDERATION, usernames);
    }

    /**
     * As {@link #start(Path, String, List, String...)}, with accounts {@code strangers} as well,
     * which are nobody's contact (an empty roster).
     */
    static LoopbackCluster start(Path dir, String domain, List<String> addresses, List<String> strangers,
                                 String... usernames) throws Exception {
        return start(dir, domain, addresses, strangers, NO_FEDERATION, usernames);
    }

    /**
     * As {@link #start(Path, String, List, String...)}, with each node's {@code s2s} and
     * {@code federation} sections from {@code federation} (YAML; e.g. the s2s listener on the
     * node's address and {@link Node#s2sPort}, and static routes).
     */
    static LoopbackCluster start(Path dir, String domain, List<String> addresses, Function<Node, String> federation,
                                 String... usernames) throws Exception {
        return start(dir, domain, addresses, List.of(), federation, usernames);
    }

    /** Each node's configuration without federation, as by default, and with {@code yaml} (whole sections) added. */
    static Function<Node, String> withoutFederation(String yaml) {
        return node -> NO_FEDERATION.apply(node) + "\n" + yaml;
    }

    private static LoopbackCluster start(Path dir, String domain, List<String> addresses, List<String> strangers,
                                         Function<Node, String> federation, String... usernames)
            throws Exception {
        PostgresCluster postgres = PostgresCluster.shared();
        LoopbackCluster cluster = new LoopbackCluster(domain, postgres.createDatabase());
        try {
            for (String address : addresses) {
                cluster.nodes.add(new Node(address, dir));
            }
            for (Node node : cluster.nodes) {
                node.config = cluster.config(node, postgres.rolePassword(), federation.apply(node));
            }
            cluster.addUsers(strangers, usernames);
            for (Node node : cluster.nodes) {
                node.process = ParleyProcess.start(node.dir, node.config, List.of());
            }
            cluster.awaitMembers(cluster.nodes.size());
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    Node node(int index) {
        return nodes.get(index);
    }

    String domain() {
        return domain;
    }

    /** Ends the node as a crash would (SIGKILL). */
    void kill(Node node) throws InterruptedException, IOException {
        ParleyProcess process = node.process;
        node.process = null;
        process.kill();
        printProblems(node, process.log());
    }

    /**
     * Freezes the node's process (SIGSTOP), as a long garbage collection pause or a stalled VM
     * would: its connections stay open, it answers nothing until {@link #thaw}.
     */
    void freeze(Node node) throws Exception {
        signal(node, "-STOP");
    }

    /** Lets a node {@link #freeze} stopped run on (SIGCONT), as if nothing had happened in between. */
    void thaw(Node node) throws Exception {
        signal(node, "-CONT");
    }

    private static void signal(Node node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(node.process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + node.process.pid() + " failed");
        }
    }

    /**
     * Stops the node as a service manager does (SIGTERM), unless it is down already, and starts
     * it again on the same data and ports.
     */
    void restart(Node node) throws Exception {
        ParleyProcess process = node.process;
        node.process = null;
        if (process != null) {
            process.stop();
            printProblems(node, process.log());
        }
        node.process = ParleyProcess.start(node.dir, node.config, List.of());
    }

    /** Waits until every node that is up sees {@code count} nodes. */
    void awaitMembers(int count) {
        for (Node node : nodes) {
            if (node.isUp()) {
                await("node " + node + " sees " + count + " nodes").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> metric(node, "parley_cluster_members", null), value -> value == count);
            }
        }
    }

    /** A meter's value from the node's Prometheus endpoint (the line with {@code label}, if given), or -1. */
    static double metric(Node node, String name, String label) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://" + node.address + ":" + node.httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> label == null || line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

    /** Waits until the node's meter {@code name} (without labels) reads {@code value}. */
    static void awaitMetric(Node node, String name, int value) {
        await("node " + node + ": " + name + " = " + value).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> metric(node, name, null), v -> v == value);
    }

    /** A raw client connected to the node for the cluster's domain (not logged in yet), closed with the cluster. */
    RawXmppClient connect(Node node) throws Exception {
        RawXmppClient client = RawXmppClient.connect(node.address, node.c2sPort, node.certificate(domain))
                .toDomain(domain);
        clients.add(client);
        return client;
    }

    EntityBareJid jid(String username) {
        try {
            return Jids.parseEntityBare(username + "@" + domain);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Closes the clients {@link #connect} made, stops the nodes (what went wrong on each shows in
     * the test's output), drops the database.
     */
    @Override
    public void close() throws Exception {
        clients.forEach(RawXmppClient::close);
        for (Node node : nodes) {
            ParleyProcess process = node.process;
            if (process != null) {
                process.close();
                node.process = null;
                printProblems(node, process.log());
            }
        }
        PostgresCluster.shared().dropDatabase(database);
    }

    /**
     * The node's warnings and errors, one line each (at most the last {@code max}, each cut to 300
     * characters; its runs before a restart included), for a failed check's message: a CI log
     * shows the message, not the output.
     */
    String warnings(Node node, int max) throws IOException {
        if (node.process == null) {
            return node.address + ": down";
        }
        List<String> lines = node.process.logHistory().lines()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .map(line -> line.length() > 300 ? line.substring(0, 300) + "..." : line)
                .toList();
        return node.address + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - max), lines.size()));
    }

    /**
     * Prints the node's warnings and errors (an error with its stack trace), at most 60 lines,
     * without Hazelcast's warnings about members leaving (the node's own come first).
     */
    private static void printProblems(Node node, String log) {
        List<String> shown = new ArrayList<>();
        boolean inError = false;
        for (String line : log.split("\n")) {
            boolean trace = line.startsWith("\t") || line.startsWith("Caused by") || line.startsWith("java.")
                    || line.startsWith("com.") || line.startsWith("io.");
            if (line.contains(" WARN ") && line.contains("] c.h.")) {
                // Hazelcast's own warnings about a member that went away: every restart has them.
                inError = false;
            } else if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                shown.add(line);
                inError = line.contains(" ERROR ");
            } else if (inError && trace) {
                shown.add(line);
            } else {
                inError = false;
            }
        }
        shown.stream().limit(60).forEach(line -> System.out.println(node.address + ": " + line));
    }

    private String config(Node node, String dbPassword, String federation) {
        String members = nodes.stream().map(n -> "\"" + n.address + ":" + n.clusterPort + "\"")
                .collect(Collectors.joining(", "));
        return String.join("\n",
                "domains: [\"" + domain + "\"]",
                "data_dir: \"" + node.dir.resolve("data") + "\"",
                "c2s:", "  address: \"" + node.address + "\"", "  port: " + node.c2sPort,
                "direct_tls:", "  enabled: false",
                federation,
                "http:", "  address: \"" + node.address + "\"", "  port: " + node.httpPort,
                "metrics:", "  enabled: true",
                "admins: [\"" + ADMIN + "@" + domain + "\"]",
                "storage:", "  jdbc_url: \"" + database + "\"", "  username: \"" + PostgresCluster.ROLE + "\"",
                "  password: \"" + dbPassword + "\"",
                "cluster:", "  enabled: true", "  secret: \"the cluster's test secret\"",
                "  address: \"" + node.address + "\"", "  port: " + node.clusterPort,
                "  members: [" + members + "]",
                "  failure_timeout: \"" + FAILURE_TIMEOUT.toSeconds() + "s\"",
                "");
    }

    /**
     * Accounts and a roster where each of {@code usernames} is the others' contact both ways, and
     * {@code strangers} with no contacts, written before the nodes start.
     */
    private void addUsers(List<String> strangers, String... usernames) throws Exception {
        ParleyConfig parsed = ConfigLoader.parse(nodes.get(0).config, "parley.yml");
        try (Database db = Database.open(parsed.storage(), parsed.dataDir())) {
            AccountService accounts = new AccountService(new JdbcAccountStore(db.dataSource()));
            RosterStore rosters = new JdbcRosterStore(db.dataSource());
            for (String username : usernames) {
                accounts.create(jid(username), PASSWORD);
            }
            for (String stranger : strangers) {
                accounts.create(jid(stranger), PASSWORD);
            }
            for (String owner : usernames) {
                for (String contact : usernames) {
                    if (!owner.equals(contact)) {
                        RosterItem item = RosterItem.of(jid(contact)).withState(Subscription.of(true, true), false, false);
                        rosters.update(jid(owner), jid(contact), state -> new ContactState(Optional.of(item),
                                Optional.empty()));
                    }
                }
            }
        }
    }

    /** The self-signed certificate a server in {@code serverDir} (its data in {@code data}) generated for {@code domain}. */
    static X509Certificate certificate(Path serverDir, String domain) throws Exception {
        try (InputStream in = Files.newInputStream(serverDir.resolve("data").resolve("certs").resolve(domain + ".crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static int freePort(String address) throws IOException {
        return LoopbackPorts.unused(InetAddress.getByName(address));
    }
}
