package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.conformance.raw.ScramClient;
import im.parley.conformance.raw.ScramClient.Hash;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jxmpp.jid.EntityBareJid;

/**
 * SASL (RFC 6120 §6) with every mechanism Parley offers: SCRAM-SHA-1/256/512 (RFC 5802,
 * RFC 7677) with and without channel binding, and PLAIN (RFC 4616) only under TLS. Smack 4.4
 * covers SCRAM-SHA-1(-PLUS) and PLAIN; the raw client covers the rest.
 */
class AuthenticationTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /** RFC 6120 §5.3.1 and §6.4.1: with STARTTLS required, the pre-TLS features offer STARTTLS and no SASL. */
    @Test
    @DisplayName("RFC 6120 §5.3.1: before TLS only <starttls><required/></starttls> is offered")
    void tlsRequiredBeforeSasl() {
        RawXmppClient client = parley.raw();
        client.openStream();
        Element features = client.features();

        Element starttls = features.element(org.dom4j.QName.get("starttls", RawXmppClient.TLS_NS));
        assertThat(starttls).isNotNull();
        assertThat(starttls.element(org.dom4j.QName.get("required", RawXmppClient.TLS_NS))).isNotNull();
        assertThat(RawXmppClient.mechanisms(features)).isEmpty();
    }

    /** RFC 6120 §6.4.1 / RFC 4616 §6: PLAIN is refused on an unencrypted stream. */
    @Test
    @DisplayName("RFC 6120 §6.5.3: SASL before STARTTLS fails with <encryption-required/>")
    void plainRefusedWithoutTls() {
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        EntityBareJid romeo = parley.newAccount("romeo");

        Element outcome = client.authenticatePlain(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD);

        assertThat(RawXmppClient.saslFailureCondition(outcome)).isEqualTo("encryption-required");
    }

    /** RFC 6120 §6.4.1, RFC 5802 §6 and RFC 7677: every SCRAM hash, with and without -PLUS, and PLAIN. */
    @Test
    @DisplayName("RFC 6120 §6.4.1: after TLS all SCRAM(-PLUS) variants and PLAIN are offered")
    void mechanismsOfferedUnderTls() {
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();

        List<String> mechanisms = RawXmppClient.mechanisms(client.startTls());

        assertThat(mechanisms).contains("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1",
                "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "PLAIN");
    }

    /** RFC 5802 §5 and RFC 7677 §3: a SCRAM exchange without channel binding ("n" flag), server signature verified. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Hash.class)
    @DisplayName("RFC 5802 §5 / RFC 7677: SCRAM without channel binding")
    void scram(Hash hash) {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = tlsClient();

        Element outcome = client.authenticate(new ScramClient(hash, romeo.getLocalpart().toString(),
                ParleyServerExtension.PASSWORD));

        assertThat(outcome.getName()).isEqualTo("success");
        assertThat(RawXmppClient.boundJid(bindAfterRestart(client))).startsWith(romeo + "/");
    }

    /** RFC 5802 §6 with RFC 5929 §4.1: SCRAM-*-PLUS bound to tls-server-end-point. */
    @ParameterizedTest(name = "{0}-PLUS")
    @EnumSource(Hash.class)
    @DisplayName("RFC 5802 §6 / RFC 5929 §4: SCRAM-PLUS with tls-server-end-point")
    void scramPlusServerEndPoint(Hash hash) {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = tlsClient();

        Element outcome = client.authenticate(new ScramClient(hash, romeo.getLocalpart().toString(),
                ParleyServerExtension.PASSWORD, client.tlsServerEndPoint(), true));

        assertThat(outcome.getName()).isEqualTo("success");
    }

    /**
     * RFC 9266 §2-3: on TLS 1.3, SCRAM-*-PLUS bound to tls-exporter. Where the TLS stack has no
     * RFC 5705 exporter (JSSE before Java 25, netty-tcnative's BoringSSL) the binding cannot be
     * computed on that side: then the
     * server must not accept a {@code p=tls-exporter} claim it cannot verify (RFC 5802 §6:
     * "the server MUST fail authentication" for a channel binding type it does not support).
     */
    @ParameterizedTest(name = "{0}-PLUS")
    @EnumSource(Hash.class)
    @DisplayName("RFC 9266: SCRAM-PLUS with tls-exporter on TLS 1.3 (refused where the runtime cannot export)")
    void scramPlusTlsExporter(Hash hash) {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        Element features = client.startTls(PinnedTrust.sslContext(parley.certificate(), "TLSv1.3"));
        assertThat(client.tlsSession().getProtocol()).isEqualTo("TLSv1.3");
        Optional<ScramClient.ChannelBinding> exporter = client.tlsExporter();
        // XEP-0440 §2: the server lists the types it can verify; BoringSSL (tls.provider openssl)
        // has no exporter, so only a JSSE server on Java 25+ lists tls-exporter.
        boolean serverExports = features.asXML().contains("tls-exporter");
        byte[] unverifiable = new byte[32];
        new SecureRandom().nextBytes(unverifiable);

        Element outcome = client.authenticate(new ScramClient(hash, romeo.getLocalpart().toString(),
                ParleyServerExtension.PASSWORD,
                exporter.orElse(new ScramClient.ChannelBinding("tls-exporter", unverifiable)), true));

        assertThat(outcome.getName()).isEqualTo(exporter.isPresent() && serverExports ? "success" : "failure");
    }

    /**
     * RFC 5802 §6: "If the flag is set to 'y' and the server supports channel binding, the server
     * MUST fail authentication" (a downgrade from -PLUS was attempted).
     */
    @Test
    @DisplayName("RFC 5802 §6: the 'y' flag while -PLUS is offered fails (downgrade detected)")
    void downgradeDetected() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = tlsClient();

        Element outcome = client.authenticate(new ScramClient(Hash.SHA_256, romeo.getLocalpart().toString(),
                ParleyServerExtension.PASSWORD, null, true));

        assertThat(outcome.getName()).isEqualTo("failure");
    }

    /** RFC 4616 §2 over TLS (RFC 6120 §6.4 with §13.8: PLAIN only when the stream is encrypted). */
    @Test
    @DisplayName("RFC 4616: PLAIN over TLS (raw client)")
    void plainOverTls() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = tlsClient();

        Element outcome = client.authenticatePlain(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD);

        assertThat(outcome.getName()).isEqualTo("success");
    }

    /**
     * RFC 6120 §6.4.5: "the receiving entity SHOULD allow a configurable but reasonable number of
     * retries (at least 2 and no more than 5)" on the same stream after a failure.
     */
    @Test
    @DisplayName("RFC 6120 §6.4.5: wrong password gets <not-authorized/>, a retry on the same stream succeeds")
    void retryAfterWrongPassword() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = tlsClient();
        String user = romeo.getLocalpart().toString();

        Element wrong = client.authenticate(new ScramClient(Hash.SHA_256, user, "not the password"));
        assertThat(RawXmppClient.saslFailureCondition(wrong)).isEqualTo("not-authorized");

        Element retry = client.authenticate(new ScramClient(Hash.SHA_256, user, ParleyServerExtension.PASSWORD));
        assertThat(retry.getName()).isEqualTo("success");
    }

    /** Smack's SCRAM-SHA-1 (RFC 5802) and the complete login. */
    @Test
    @DisplayName("RFC 5802: Smack logs in with SCRAM-SHA-1")
    void smackScramSha1() {
        XmppClient romeo = parley.connect(SmackClients.startTlsWithMechanism(parley, parley.newAccount("romeo"),
                "SCRAM-SHA-1"));

        assertThat(romeo.connection().getUsedSaslMechansism()).isEqualTo("SCRAM-SHA-1");
    }

    /** Smack's PLAIN over TLS (RFC 4616). */
    @Test
    @DisplayName("RFC 4616: Smack logs in with PLAIN over STARTTLS")
    void smackPlain() {
        XmppClient romeo = parley.connect(SmackClients.startTlsWithMechanism(parley, parley.newAccount("romeo"),
                "PLAIN"));

        assertThat(romeo.connection().getUsedSaslMechansism()).isEqualTo("PLAIN");
    }

    private static RawXmppClient tlsClient() {
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        client.startTls();
        return client;
    }

    private static Element bindAfterRestart(RawXmppClient client) {
        client.restartStream();
        return client.bind(null);
    }
}
