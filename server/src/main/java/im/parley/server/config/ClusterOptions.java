package im.parley.server.config;

import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The options of the {@code cluster} section (docs/operations.md, Clustering): several Parley
 * nodes on Hazelcast serving the same domains, found through a fixed list of peers (TCP-IP join,
 * no multicast). Read with {@link ParleyConfig#option}.
 */
public final class ClusterOptions {

    static final OptionSection SECTION = new OptionSection("cluster",
            "Several Parley nodes serving the same domains, on Hazelcast (see docs/operations.md, Clustering): "
                    + "off unless enabled; needs a shared PostgreSQL database (`storage.jdbc_url`).");

    /** {@code host:port}, the host an IP address literal: peers are found without DNS. */
    static final ValueType<List<String>> MEMBERS = new TextListType("list of `address:port`", "members",
            ClusterOptions::isMember, "an IP address and a port, such as 10.0.0.5:5701");

    public static final ModuleOption<Boolean> ENABLED = SECTION.option("enabled", ValueType.BOOLEAN, false,
            "Join the other nodes listed in `cluster.members`; every node must have the same domains, "
                    + "database, `cluster.name` and `cluster.secret`.");
    public static final ModuleOption<String> NAME = SECTION.option("name", ValueType.STRING, "parley",
            "Name of the cluster: nodes with another name (another cluster on the same network) stay apart.");
    public static final ModuleOption<String> SECRET = SECTION.option("secret", ValueType.OPTIONAL_STRING, null,
            "Shared secret: a node without it cannot join. Required when enabled. It does not encrypt: keep the "
                    + "cluster port on a private network.",
            "\"a long random string\"");
    public static final ModuleOption<List<String>> MEMBERS_OPTION = SECTION.option("members", MEMBERS, List.of(),
            "The nodes of the cluster, this one included or not (`10.0.0.5:5701`); a node joins those that answer.",
            "[\"10.0.0.5:5701\", \"10.0.0.6:5701\", \"10.0.0.7:5701\"]");
    public static final ModuleOption<String> ADDRESS = SECTION.option("address", ValueType.STRING, "127.0.0.1",
            "IP address this node listens on for the other nodes, and tells them; never a public one.");
    public static final ModuleOption<Integer> PORT = SECTION.option("port", ValueType.integer(1, 65535), 5701,
            "Port this node listens on for the other nodes.");
    public static final ModuleOption<Duration> FAILURE_TIMEOUT = SECTION.option("failure_timeout", ValueType.DURATION,
            Duration.ofSeconds(10),
            "A node not heard from for this long is taken for dead: its sessions end and their contacts get "
                    + "unavailable presence. Shorter than 2s counts as 2s.");
    public static final ModuleOption<Duration> FORWARD_TIMEOUT = SECTION.option("forward_timeout",
            ValueType.DURATION, Duration.ofSeconds(15),
            "A stanza sent to a session on another node that its node has not confirmed within this time is "
                    + "handled here as for an unavailable resource (a message is stored offline); one handed to the "
                    + "node of a room is answered `recipient-unavailable`. Shorter than 1s counts as 1s.");

    private ClusterOptions() {
    }

    static void declare(List<ConfigOption<?>> all) {
        for (ModuleOption<?> option : List.of(ENABLED, NAME, SECRET, MEMBERS_OPTION, ADDRESS, PORT, FAILURE_TIMEOUT,
                FORWARD_TIMEOUT)) {
            all.add(option.asConfigOption());
        }
    }

    static void section(Map<String, String> sections) {
        sections.put(SECTION.key(), SECTION.doc());
    }

    /**
     * A cluster shares its storage: the embedded H2 database is one process's file, so a node
     * on it would keep accounts, rosters and offline messages to itself. A cluster also needs a
     * secret and a valid listening address.
     */
    static Void check(ParleyConfig config, ConfigSource source) throws ConfigException {
        if (!config.option(ENABLED)) {
            return null;
        }
        String url = config.storage().jdbcUrl();
        if (url == null || url.startsWith("jdbc:h2:")) {
            throw source.error("cluster.enabled", "a cluster needs a database its nodes share: set storage.jdbc_url "
                    + "to PostgreSQL (the embedded H2 database " + (url == null ? "" : url + " ")
                    + "is one node's; see docs/operations.md)");
        }
        if (config.option(SECRET) == null) {
            throw source.error("cluster.secret", "a cluster needs a secret its nodes share");
        }
        if (NetUtil.createInetAddressFromIpAddressString(config.option(ADDRESS)) == null) {
            throw source.error("cluster.address", "expected an IP address, got " + config.option(ADDRESS));
        }
        return null;
    }

    private static boolean isMember(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port > 0 && port <= 65535 && NetUtil.createInetAddressFromIpAddressString(host) != null;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
