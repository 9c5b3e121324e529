package im.parley.server.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who the client of an HTTP request is. Without a proxy, the connection's peer. Behind a trusted
 * reverse proxy ({@code http.trusted_proxies}), the address its {@code X-Forwarded-For} header
 * names: each proxy appends the address it received the request from, so the rightmost entry
 * that is not itself a trusted proxy is the client; the entries left of it are whatever the
 * client wrote, and are ignored.
 */
final class ClientAddresses {

    /** The de facto standard header; RFC 7239's {@code Forwarded} says the same, less widely sent. */
    static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private final Set<InetAddress> trustedProxies = new HashSet<>();

    ClientAddresses(List<String> trustedProxies) {
        for (String literal : trustedProxies) {
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(literal);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address: " + literal);
            }
            this.trustedProxies.add(address);
        }
    }

    /**
     * True for a request straight from a program on this machine: the connection's peer is a
     * loopback address and no proxy header names a client elsewhere. Its bytes never leave the
     * host, so a plain-HTTP BOSH or WebSocket stream counts as secure, as ejabberd's default
     * loopback listener lets local clients log in. A request a reverse proxy forwards names its
     * client ({@code X-Forwarded-For}, {@code Forwarded}) and counts as secure only with
     * {@code http.consider_secure}: the proxy's other side may be the open network.
     */
    static boolean isDirectLoopback(Channel channel, HttpHeaders headers) {
        return peer(channel).isLoopbackAddress() && !headers.contains(X_FORWARDED_FOR)
                && !headers.contains("Forwarded") && !headers.contains("X-Real-IP");
    }

    boolean isTrustedProxy(InetAddress address) {
        return trustedProxies.contains(address);
    }

    /** The connection's peer. */
    static InetAddress peer(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }

    /** The client of a request that came on {@code channel} with {@code headers}. */
    InetAddress client(Channel channel, HttpHeaders headers) {
        InetAddress client = peer(channel);
        if (!isTrustedProxy(client)) {
            return client;
        }
        List<String> forwarded = headers.getAll(X_FORWARDED_FOR);
        String[] hops = String.join(",", forwarded).split(",");
        for (int i = hops.length - 1; i >= 0 && isTrustedProxy(client); i--) {
            InetAddress hop = parse(hops[i]);
            if (hop == null) {
                break;
            }
            client = hop;
        }
        return client;
    }

    private static InetAddress parse(String hop) {
        String literal = hop.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        return literal.isEmpty() ? null : NetUtil.createInetAddressFromIpAddressString(literal);
    }
}
