package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.conformance.raw.ScramClient;
import im.parley.server.ParleyServer;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Several virtual hosts in one server (issue 2): each domain presents its own certificate
 * (RFC 6120 §13.7.1.2: STARTTLS picks it by the stream's {@code to}, direct TLS by SNI,
 * XEP-0368), accounts belong to one domain, and stanzas route between local domains.
 */
class VirtualHostsTest {

    private static final String MONTAGUE = "montague.test";
    private static final String CAPULET = "capulet.test";
    private static final String PASSWORD = "secret";

    @TempDir
    static Path dataDir;
    private static ParleyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new ParleyServer(ParleyConfig.defaults()
                .withDomains(List.of(MONTAGUE, CAPULET))
                .withDataDir(dataDir)
                .withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.on("127.0.0.1", 0))
                .withHttp(ListenerConfig.off("127.0.0.1", 0)));
        server.start();
        server.accounts().create(JidCreate.entityBareFrom("romeo@" + MONTAGUE), PASSWORD);
        server.accounts().create(JidCreate.entityBareFrom("juliet@" + CAPULET), PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawXmppClient starttls(String domain) {
        return RawXmppClient.connect("127.0.0.1", server.c2sPort(), server.certificate(domain)).toDomain(domain);
    }

    @Test
    void eachDomainPresentsItsOwnCertificateOverStartTls() throws Exception {
        for (String domain : List.of(MONTAGUE, CAPULET)) {
            try (RawXmppClient client = starttls(domain)) {
                client.openStream();
                client.features();
                client.startTls();

                X509Certificate presented = (X509Certificate) client.tlsSession().getPeerCertificates()[0];
                assertThat(presented).isEqualTo(server.certificate(domain));
            }
        }
        assertThat(server.certificate(MONTAGUE)).isNotEqualTo(server.certificate(CAPULET));
    }

    @Test
    void directTlsPicksTheCertificateBySni_xep0368() throws Exception {
        try (RawXmppClient client = RawXmppClient.connectDirectTls("127.0.0.1", server.directTlsPort(),
                server.certificate(CAPULET), CAPULET).toDomain(CAPULET)) {
            X509Certificate presented = (X509Certificate) client.tlsSession().getPeerCertificates()[0];

            assertThat(presented).isEqualTo(server.certificate(CAPULET));
            assertThat(client.openStream()).containsEntry("from", CAPULET);
        }
    }

    @Test
    void accountsBelongToTheirDomain() {
        try (RawXmppClient client = starttls(CAPULET)) {
            client.openStream();
            client.features();
            client.startTls();

            Element outcome = client.authenticate(new ScramClient(ScramClient.Hash.SHA_256, "romeo", PASSWORD));

            assertThat(RawXmppClient.saslFailureCondition(outcome)).isEqualTo("not-authorized");
        }
    }

    @Test
    void messagesRouteBetweenLocalDomains_rfc6120_10_5() {
        try (RawXmppClient romeo = starttls(MONTAGUE); RawXmppClient juliet = starttls(CAPULET)) {
            String romeoJid = romeo.login("romeo", PASSWORD, "orchard");
            String julietJid = juliet.login("juliet", PASSWORD, "balcony");

            romeo.send("<message to='" + julietJid + "' type='chat' id='vh1'><body>across hosts</body></message>");

            Element received = juliet.nextElement(e -> "message".equals(e.getName()));
            assertThat(received.attributeValue("from")).isEqualTo(romeoJid);
            assertThat(received.elementText("body")).isEqualTo("across hosts");
        }
    }
}
