package im.parley.s2s;

import java.util.Objects;

/** A host name or IP literal and a TCP port, as written in static routes ({@code host:port}). */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses {@code host:port}, {@code [v6-literal]:port} or a bare host (port 5269, RFC 6120
     * §3.2.2's fallback port).
     */
    public static HostPort parse(String text) {
        String value = text.trim();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal: " + text);
            }
            String host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (rest.isEmpty()) {
                return new HostPort(host, 5269);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("expected :port after ]: " + text);
            }
            return new HostPort(host, port(rest.substring(1), text));
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            return new HostPort(value, 5269);
        }
        if (value.indexOf(':') != colon) {
            throw new IllegalArgumentException("write an IPv6 address as [address]:port: " + text);
        }
        return new HostPort(value.substring(0, colon), port(value.substring(colon + 1), text));
    }

    private static int port(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number in " + text);
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
