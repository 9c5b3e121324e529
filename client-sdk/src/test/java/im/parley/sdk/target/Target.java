package im.parley.sdk.target;

import im.parley.sdk.Transport;
import im.parley.sdk.Trust;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.jxmpp.jid.EntityBareJid;

/**
 * A server the SDK tests run against, reached over one transport: the same test class runs
 * against Parley and Prosody, over STARTTLS, direct TLS or BOSH.
 */
public final class Target {

    /** How the client reaches the target. */
    public enum Kind { STARTTLS, DIRECT_TLS, BOSH }

    private static final AtomicInteger USERS = new AtomicInteger();

    private final String name;
    private final String domain;
    private final Kind kind;
    private final String host;
    private final int port;
    private final X509Certificate certificate;
    private final BiFunction<String, String, EntityBareJid> accounts;

    public Target(String name, String domain, Kind kind, String host, int port, X509Certificate certificate,
                  BiFunction<String, String, EntityBareJid> accounts) {
        this.name = name;
        this.domain = domain;
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.certificate = certificate;
        this.accounts = accounts;
    }

    public String domain() {
        return domain;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Kind kind() {
        return kind;
    }

    /** The transport straight to the server. */
    public Transport transport() {
        return transportVia(host, port);
    }

    /** The same kind of transport, through another endpoint (a proxy in front of the server). */
    public Transport transportVia(String viaHost, int viaPort) {
        return switch (kind) {
            case STARTTLS -> Transport.startTls(viaHost, viaPort);
            case DIRECT_TLS -> Transport.directTls(viaHost, viaPort);
            case BOSH -> Transport.bosh(URI.create("http://" + viaHost + ":" + viaPort + "/http-bind"));
        };
    }

    /** Trust exactly the server's self-signed certificate. */
    public Trust trust() {
        return Trust.pinned(certificate);
    }

    /** Creates an account with a name no other test uses. */
    public EntityBareJid newUser(String prefix, String password) {
        return accounts.apply(prefix + USERS.incrementAndGet() + "x" + ProcessHandle.current().pid(), password);
    }

    /** A name for an account that does not exist yet. */
    public String unusedLocalpart(String prefix) {
        return prefix + USERS.incrementAndGet() + "x" + ProcessHandle.current().pid();
    }

    @Override
    public String toString() {
        return name + " over " + kind;
    }
}
