package im.parley.sdk;

import java.net.URI;
import java.util.Objects;

/**
 * How a {@link ChatClient} reaches its server: TCP with STARTTLS (RFC 6120 §5), TCP with TLS
 * from the first byte ("direct TLS", XEP-0368), or BOSH over HTTP (XEP-0124, XEP-0206).
 */
public final class Transport {

    enum Kind { STARTTLS, DIRECT_TLS, BOSH }

    private final Kind kind;
    private final String host;
    private final int port;
    private final URI url;

    private Transport(Kind kind, String host, int port, URI url) {
        this.kind = kind;
        this.host = Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        this.url = url;
    }

    /** TCP to {@code host:port}; the client requires TLS through STARTTLS before logging in. */
    public static Transport startTls(String host, int port) {
        return new Transport(Kind.STARTTLS, host, port, null);
    }

    /** TCP to {@code host:port} where TLS starts at once (XEP-0368 direct TLS, usually port 5223). */
    public static Transport directTls(String host, int port) {
        return new Transport(Kind.DIRECT_TLS, host, port, null);
    }

    /**
     * BOSH at an {@code http} or {@code https} URL, e.g. {@code https://chat.example.org/http-bind}.
     * Plain {@code http} is unencrypted: use it only on loopback or behind a TLS proxy.
     */
    public static Transport bosh(URI url) {
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("BOSH needs an http or https URL: " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("BOSH URL without host: " + url);
        }
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        return new Transport(Kind.BOSH, url.getHost(), port, url);
    }

    Kind kind() {
        return kind;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    URI url() {
        return url;
    }

    /** Whether the transport itself encrypts (so Smack need not negotiate STARTTLS). */
    boolean encryptedBelowXmpp() {
        return kind == Kind.DIRECT_TLS || (kind == Kind.BOSH && "https".equals(url.getScheme()));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STARTTLS -> "STARTTLS " + host + ":" + port;
            case DIRECT_TLS -> "direct TLS " + host + ":" + port;
            case BOSH -> "BOSH " + url;
        };
    }
}
