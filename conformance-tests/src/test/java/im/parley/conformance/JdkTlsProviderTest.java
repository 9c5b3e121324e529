package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.conformance.raw.ScramClient;
import im.parley.conformance.raw.ScramClient.Hash;
import im.parley.core.tls.TlsProvider;
import java.util.Optional;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * Client TLS on the JDK's JSSE ({@code tls.provider: jdk}); every other conformance test runs on
 * the default, BoringSSL. STARTTLS (RFC 6120 §5) and direct TLS (XEP-0368) with SCRAM-PLUS bound
 * to the channel (RFC 5929 §4.1; RFC 9266 where the runtime can export).
 */
class JdkTlsProviderTest {

    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.configured(
            config -> config.withTls(config.tls().withProvider(TlsProvider.JDK)));

    @Test
    @DisplayName("RFC 6120 §5 / RFC 5929 §4.1: STARTTLS on JSSE, SCRAM-SHA-256-PLUS with tls-server-end-point")
    void startTlsWithServerEndPoint() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        client.startTls();

        Element outcome = client.authenticate(new ScramClient(Hash.SHA_256, romeo.getLocalpart().toString(),
                ParleyServerExtension.PASSWORD, client.tlsServerEndPoint(), true));

        assertThat(outcome.getName()).isEqualTo("success");
    }

    /** RFC 9266 §2: JSSE exports keying material from Java 25 on; then both ends agree on it. */
    @Test
    @DisplayName("RFC 9266: on JSSE the server lists tls-exporter exactly when the runtime can export")
    void tlsExporterFollowsTheRuntime() {
        EntityBareJid juliet = parley.newAccount("juliet");
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        Element features = client.startTls(PinnedTrust.sslContext(parley.certificate(), "TLSv1.3"));
        Optional<ScramClient.ChannelBinding> exporter = client.tlsExporter();

        assertThat(features.asXML().contains("tls-exporter")).isEqualTo(exporter.isPresent());
        if (exporter.isPresent()) {
            Element outcome = client.authenticate(new ScramClient(Hash.SHA_256, juliet.getLocalpart().toString(),
                    ParleyServerExtension.PASSWORD, exporter.get(), true));
            assertThat(outcome.getName()).isEqualTo("success");
        }
    }

    @Test
    @DisplayName("XEP-0368: direct TLS on JSSE, SCRAM-SHA-512-PLUS")
    void directTls() {
        EntityBareJid mercutio = parley.newAccount("mercutio");
        RawXmppClient client = parley.rawDirectTls();
        client.openStream();
        client.features();

        Element outcome = client.authenticate(new ScramClient(Hash.SHA_512, mercutio.getLocalpart().toString(),
                ParleyServerExtension.PASSWORD, client.tlsServerEndPoint(), true));

        assertThat(outcome.getName()).isEqualTo("success");
    }
}
