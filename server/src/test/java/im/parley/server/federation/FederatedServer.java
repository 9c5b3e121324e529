package im.parley.server.federation;

import im.parley.s2s.S2sRouter;
import im.parley.server.ParleyServer;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.FederationConfig;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.config.TlsConfig;
import im.parley.core.jid.Jids;
import im.parley.server.testing.LoopbackPorts;
import im.parley.server.testing.SocketClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real Parley server with its s2s listener on its own loopback address (127.0.0.21,
 * 127.0.0.22, …), for two-domain federation tests in one JVM. c2s needs no TLS; s2s uses the
 * defaults (STARTTLS required, dialback allowed) unless a test changes them.
 */
final class FederatedServer implements AutoCloseable {

    private final ParleyServer server;
    private final String ip;
    private final List<SocketClient> clients = new ArrayList<>();

    FederatedServer(ParleyConfig config, String ip) throws Exception {
        this.ip = ip;
        server = new ParleyServer(config);
        server.start();
    }

    /**
     * The configuration of a server for {@code domain} on {@code ip}: s2s on {@code s2sPort},
     * c2s on a free port, self-signed certificates unless given.
     */
    static ParleyConfig config(String domain, String ip, int s2sPort, Path dataDir,
                               Map<String, CertificateFiles> certificates, UnaryOperator<FederationConfig> federation) {
        return ParleyConfig.defaults()
                .withDomains(List.of(domain))
                .withDataDir(dataDir)
                .withC2s(ListenerConfig.on(ip, 0))
                .withDirectTls(ListenerConfig.off(ip, 0))
                .withS2s(ListenerConfig.on(ip, s2sPort))
                .withHttp(ListenerConfig.off(ip, 0))
                .withTls(new TlsConfig(false, certificates))
                .withFederation(federation.apply(FederationConfig.defaults()));
    }

    /**
     * A port free on {@code ip} right now (the static routes of the other server need it before
     * start), below the kernel's ephemeral range: one from {@code bind(0)} could be handed to an
     * outgoing connection before the server binds it ({@link LoopbackPorts}; CrossDomainPresenceTest
     * failed once with "Address already in use").
     */
    static int freePort(String ip) throws IOException {
        return LoopbackPorts.unused(InetAddress.getByName(ip));
    }

    FederatedServer user(String bareJid) throws Exception {
        server.accounts().create(Jids.parseEntityBare(bareJid), "secret");
        return this;
    }

    /** A client logged in and available. */
    SocketClient login(String bareJid, String resource) throws IOException {
        SocketClient client = new SocketClient(ip, server.c2sPort());
        clients.add(client);
        return client.login(bareJid, "secret", resource);
    }

    /** A client logged in, without presence yet. */
    SocketClient bind(String bareJid, String resource) throws IOException {
        SocketClient client = new SocketClient(ip, server.c2sPort());
        clients.add(client);
        return client.bind(bareJid, "secret", resource);
    }

    S2sRouter s2s() {
        return (S2sRouter) server.remoteRouter();
    }

    ParleyServer server() {
        return server;
    }

    @Override
    public void close() throws IOException {
        for (SocketClient client : clients) {
            client.close();
        }
        server.close();
    }
}
