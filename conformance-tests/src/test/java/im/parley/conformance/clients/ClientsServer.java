package im.parley.conformance.clients;

import im.parley.server.ParleyServer;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.jxmpp.jid.impl.JidCreate;

/**
 * An in-process Parley for the real clients: domain {@value #DOMAIN}, STARTTLS c2s and direct
 * TLS on loopback (free ports), its self-signed certificate written as PEM for
 * {@code XMPP_CA_FILE}. The clients connect to {@link #host()} and take the domain from the JID,
 * so no name resolution is needed.
 */
final class ClientsServer implements AutoCloseable {

    static final String DOMAIN = "clients.test";
    static final String PASSWORD = "clients-secret";
    private static final String HOST = "127.0.0.1";

    private final ParleyServer server;
    private final Path caFile;

    private ClientsServer(ParleyServer server, Path caFile) {
        this.server = server;
        this.caFile = caFile;
    }

    static ClientsServer start(Path dir) throws Exception {
        ParleyConfig config = ParleyConfig.defaults()
                .withDomains(List.of(DOMAIN))
                .withDataDir(dir.resolve("data"))
                .withC2s(ListenerConfig.on(HOST, 0))
                .withDirectTls(ListenerConfig.on(HOST, 0))
                .withHttp(ListenerConfig.off(HOST, 0));
        ParleyServer server = new ParleyServer(config);
        try {
            server.start();
            Path caFile = dir.resolve("server-cert.pem");
            Files.writeString(caFile, pem(server.certificate(DOMAIN)), StandardCharsets.US_ASCII);
            return new ClientsServer(server, caFile);
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    /** Creates {@code localpart@clients.test} with {@link #PASSWORD}; returns the bare JID. */
    String account(String localpart) throws Exception {
        String jid = localpart + "@" + DOMAIN;
        server.accounts().create(JidCreate.entityBareFrom(jid), PASSWORD);
        return jid;
    }

    String host() {
        return HOST;
    }

    int c2sPort() {
        return server.c2sPort();
    }

    int directTlsPort() {
        return server.directTlsPort();
    }

    /** The server's self-signed certificate, PEM: what the clients are told to trust. */
    Path caFile() {
        return caFile;
    }

    @Override
    public void close() {
        server.close();
    }

    private static String pem(X509Certificate certificate) throws Exception {
        Base64.Encoder lines = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN CERTIFICATE-----\n" + lines.encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
