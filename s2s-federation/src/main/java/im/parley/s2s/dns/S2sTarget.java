package im.parley.s2s.dns;

import im.parley.s2s.HostPort;
import java.util.Objects;

/**
 * One place to connect to for a remote domain: a host and port, and whether TLS starts with the
 * first byte (XEP-0368 direct TLS, {@code _xmpps-server}) or by STARTTLS (RFC 6120 §5).
 */
public record S2sTarget(HostPort address, boolean directTls) {

    public S2sTarget {
        Objects.requireNonNull(address, "address");
    }

    /**
     * Parses a static route: {@code host:port} (STARTTLS) or {@code xmpps://host:port} (direct TLS).
     */
    public static S2sTarget parse(String text) {
        String value = text.trim();
        if (value.startsWith("xmpps://")) {
            return new S2sTarget(HostPort.parse(value.substring("xmpps://".length())), true);
        }
        if (value.startsWith("xmpp://")) {
            return new S2sTarget(HostPort.parse(value.substring("xmpp://".length())), false);
        }
        return new S2sTarget(HostPort.parse(value), false);
    }

    @Override
    public String toString() {
        return (directTls ? "xmpps://" : "") + address;
    }
}
