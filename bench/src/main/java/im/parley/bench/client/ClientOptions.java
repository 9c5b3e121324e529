package im.parley.bench.client;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * How every simulated client of one run logs in.
 *
 * @param server           the server's c2s address
 * @param domain           the XMPP domain the users belong to (RFC 7622 §3.2)
 * @param sourceAddresses  loopback addresses the clients bind to in turn, so that more
 *                         connections fit than one address has ephemeral ports
 * @param userPrefix       users are {@code <prefix><n>}, n from 1
 * @param password         the password all users share
 * @param startTls         negotiate STARTTLS (RFC 6120 §5) before SASL
 * @param mechanism        the SASL mechanism (RFC 6120 §6)
 * @param rosterGet        fetch the roster after binding (RFC 6121 §2.1.3)
 * @param initialPresence  send initial presence after that (RFC 6121 §4.2)
 * @param autoApprove      answer every presence subscription request with {@code subscribed}
 *                         (RFC 6121 §3.1.4), which the presence scenario uses to build rosters
 * @param nodes            the c2s addresses of a cluster's nodes, which the users connect to in
 *                         turn (user n to node (n - 1) mod k); empty: every user to {@code server}
 */
public record ClientOptions(InetSocketAddress server, String domain, List<InetSocketAddress> sourceAddresses,
                            String userPrefix, String password, boolean startTls, SaslMechanismChoice mechanism,
                            boolean rosterGet, boolean initialPresence, boolean autoApprove,
                            List<InetSocketAddress> nodes) {

    public ClientOptions {
        sourceAddresses = List.copyOf(sourceAddresses);
        nodes = List.copyOf(nodes);
    }

    /** Options for one server (no cluster). */
    public ClientOptions(InetSocketAddress server, String domain, List<InetSocketAddress> sourceAddresses,
                         String userPrefix, String password, boolean startTls, SaslMechanismChoice mechanism,
                         boolean rosterGet, boolean initialPresence, boolean autoApprove) {
        this(server, domain, sourceAddresses, userPrefix, password, startTls, mechanism, rosterGet, initialPresence,
                autoApprove, List.of());
    }

    /** Where user {@code user} connects: its node of the cluster, or the server. */
    public InetSocketAddress serverFor(int user) {
        return nodes.isEmpty() ? server : nodes.get(Math.floorMod(user - 1, nodes.size()));
    }

    public String username(int user) {
        return userPrefix + user;
    }

    public String bareJid(int user) {
        return userPrefix + user + "@" + domain;
    }

    public ClientOptions withStartTls(boolean tls) {
        return new ClientOptions(server, domain, sourceAddresses, userPrefix, password, tls, mechanism,
                rosterGet, initialPresence, autoApprove, nodes);
    }

    public ClientOptions withPresence(boolean roster, boolean presence, boolean approve) {
        return new ClientOptions(server, domain, sourceAddresses, userPrefix, password, startTls, mechanism,
                roster, presence, approve, nodes);
    }
}
