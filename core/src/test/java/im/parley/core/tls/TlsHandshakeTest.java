package im.parley.core.tls;

import static im.parley.core.tls.TestCertificates.dns;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real handshakes between {@link TlsContexts#server} and {@link TlsContexts#client} over two
 * {@link EmbeddedChannel}s whose bytes the test carries across, and the channel bindings both
 * ends then derive (RFC 9266, RFC 5929).
 */
class TlsHandshakeTest {

    private static final KeyMaterial SERVER = SelfSignedCertificates.generate("example.org");

    private EmbeddedChannel serverChannel;
    private EmbeddedChannel clientChannel;

    /** The provider under test; {@link OpenSslTlsHandshakeTest} runs every case again on BoringSSL. */
    TlsProvider provider() {
        return TlsProvider.JDK;
    }

    private SslContext serverContext() throws SSLException {
        return TlsContexts.server(SERVER, provider());
    }

    @AfterEach
    void closeChannels() {
        if (serverChannel != null) {
            serverChannel.finishAndReleaseAll();
        }
        if (clientChannel != null) {
            clientChannel.finishAndReleaseAll();
        }
    }

    /**
     * RFC 9266 §2: both ends export the same 32 bytes. JSSE has the RFC 5705 exporter from
     * Java 25 on; on Java 17, and with netty-tcnative's BoringSSL (which exposes no exporter),
     * tls-exporter must be neither listed nor returned.
     */
    @Test
    void tls13HandshakeOffersExporterExactlyWhenTheRuntimeCanExport() throws Exception {
        SslHandler server = serverContext().newHandler(ByteBufAllocator.DEFAULT);
        SslHandler client = TlsContexts.client(TestCertificates.trusting(SERVER.leaf()))
                .newHandler(ByteBufAllocator.DEFAULT, "example.org", 5223);
        TlsChannelBindings serverBindings = new TlsChannelBindings(server);
        TlsChannelBindings clientBindings = new TlsChannelBindings(client.engine());

        handshake(server, client);

        assertThat(server.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(serverBindings.supportedTypes()).contains("tls-server-end-point");
        boolean offered = serverBindings.supportedTypes().contains("tls-exporter");
        assertThat(offered).isEqualTo(provider() == TlsProvider.JDK && Runtime.version().feature() >= 25);
        assertThat(serverBindings.data("tls-exporter").isPresent()).isEqualTo(offered);
        if (offered) {
            assertThat(serverBindings.data("tls-exporter").orElseThrow())
                    .hasSize(32)
                    .isEqualTo(clientBindings.data("tls-exporter").orElseThrow());
        } else {
            assertThat(serverBindings.data("tls-exporter")).isEmpty();
        }
    }

    /** RFC 5929 §4.1: ECDSA-with-SHA256 certificate → SHA-256 of the DER certificate, both ends alike. */
    @Test
    void serverEndPointIsTheSha256OfTheServerCertificate() throws Exception {
        SslHandler server = serverContext().newHandler(ByteBufAllocator.DEFAULT);
        SslHandler client = TlsContexts.client(TestCertificates.trusting(SERVER.leaf()))
                .newHandler(ByteBufAllocator.DEFAULT, "example.org", 5223);

        handshake(server, client);

        byte[] expected = MessageDigest.getInstance("SHA-256").digest(SERVER.leaf().getEncoded());
        assertThat(new TlsChannelBindings(server).data("tls-server-end-point")).hasValue(expected);
        assertThat(new TlsChannelBindings(client).data("tls-server-end-point")).hasValue(expected);
    }

    /** RFC 9266 §3: tls-exporter needs TLS 1.3 (or 1.2 with extended master secret, not offered here). */
    @Test
    void tls12HandshakeOffersOnlyServerEndPoint() throws Exception {
        SslContext tls12Client = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .secureRandom(new SecureRandom())
                .protocols("TLSv1.2")
                .trustManager(TestCertificates.trusting(SERVER.leaf()))
                .build();
        SslHandler server = serverContext().newHandler(ByteBufAllocator.DEFAULT);
        SslHandler client = tls12Client.newHandler(ByteBufAllocator.DEFAULT, "example.org", 5223);

        handshake(server, client);

        TlsChannelBindings bindings = new TlsChannelBindings(server);
        assertThat(server.engine().getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(bindings.supportedTypes()).containsExactly("tls-server-end-point");
        assertThat(bindings.data("tls-exporter")).isEmpty();
        assertThat(bindings.data("tls-server-end-point")).isPresent();
    }

    @Test
    void noBindingsBeforeTheHandshakeNorForUnknownTypes() throws Exception {
        SslHandler server = serverContext().newHandler(ByteBufAllocator.DEFAULT);
        TlsChannelBindings bindings = new TlsChannelBindings(server);

        assertThat(bindings.supportedTypes()).isEmpty();
        assertThat(bindings.data("tls-exporter")).isEmpty();

        SslHandler client = TlsContexts.client(TestCertificates.trusting(SERVER.leaf()))
                .newHandler(ByteBufAllocator.DEFAULT, "example.org", 5223);
        handshake(server, client);
        assertThat(bindings.data("tls-unique")).isEmpty();
    }

    /**
     * RFC 8996: no TLS 1.0/1.1. Netty's OpenSSL engine always lists the pseudo-protocol
     * {@code SSLv2Hello} (the name of a ClientHello format, not a protocol version; BoringSSL
     * parses no SSLv2 records), so it is left out of the comparison.
     */
    @Test
    void onlyTls13AndTls12AreEnabled() throws Exception {
        SSLEngine engine = serverContext().newEngine(ByteBufAllocator.DEFAULT);
        assertThat(Arrays.stream(engine.getEnabledProtocols()).filter(p -> !p.equals("SSLv2Hello")))
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        ReferenceCountUtil.release(engine);
        assertThat(TlsContexts.client(TestCertificates.trusting(SERVER.leaf()))
                .newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols())
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    /** RFC 8996 §5: a TLS 1.1 ClientHello is answered with a protocol_version alert. */
    @Test
    void refusesATls11ClientHello() throws Exception {
        SslHandler server = serverContext().newHandler(ByteBufAllocator.DEFAULT);
        serverChannel = new EmbeddedChannel(server);

        try {
            serverChannel.writeInbound(Unpooled.wrappedBuffer(tls11ClientHello()));
        } catch (RuntimeException expected) {
            // EmbeddedChannel rethrows the handshake failure; the future below is what we check.
        }

        assertThat(server.handshakeFuture().isDone()).isTrue();
        assertThat(server.handshakeFuture().cause())
                .isInstanceOf(SSLException.class);
        ByteBuf reply = serverChannel.readOutbound();
        assertThat(reply).isNotNull();
        byte[] alert = ByteBufUtil.getBytes(reply);
        reply.release();
        assertThat(alert[0]).as("record type alert").isEqualTo((byte) 21);
        assertThat(alert[5]).as("level fatal").isEqualTo((byte) 2);
        assertThat(alert[6]).as("protocol_version").isEqualTo((byte) 70);
    }

    @Test
    void clientRejectsAServerCertificateForAnotherName() throws Exception {
        SslHandler server = serverContext().newHandler(ByteBufAllocator.DEFAULT);
        SslHandler client = TlsContexts.client(TestCertificates.trusting(SERVER.leaf()))
                .newHandler(ByteBufAllocator.DEFAULT, "example.net", 5223);

        pump(server, client);

        assertThat(client.handshakeFuture().cause()).isNotNull();
    }

    @Test
    void optionalClientAuthAcceptsAClientWithoutCertificate() throws Exception {
        KeyMaterial peer = TestCertificates.selfSignedMaterial(
                TestCertificates.ecKeyPair(), "SHA256withECDSA", dns("peer.example"));
        SslHandler server = TlsContexts.serverWithOptionalClientAuth(SERVER, TestCertificates.trusting(peer.leaf()))
                .newHandler(ByteBufAllocator.DEFAULT);
        SslHandler client = TlsContexts.client(TestCertificates.trusting(SERVER.leaf()))
                .newHandler(ByteBufAllocator.DEFAULT, "example.org", 5269);

        handshake(server, client);

        assertThat(server.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(new TlsChannelBindings(server).supportedTypes()).contains("tls-server-end-point");
    }

    /** RFC 5929 §4.1: MD5 and SHA-1 signatures are upgraded to SHA-256; others keep their hash. */
    @Test
    void serverEndPointHashFollowsTheSignatureAlgorithm() throws Exception {
        X509Certificate sha1 = TestCertificates.selfSigned(TestCertificates.rsaKeyPair(), "SHA1withRSA");
        X509Certificate sha384 = TestCertificates.selfSigned(TestCertificates.ecKeyPair(), "SHA384withECDSA");

        assertThat(TlsChannelBindings.endPointHash(sha1))
                .hasValue(MessageDigest.getInstance("SHA-256").digest(sha1.getEncoded()));
        assertThat(TlsChannelBindings.endPointHash(sha384))
                .hasValue(MessageDigest.getInstance("SHA-384").digest(sha384.getEncoded()));
    }

    /**
     * The JDK-only look-up of the common signature algorithms gives the hash BouncyCastle's
     * digest finder gives (the look-up that remains for the others, RSASSA-PSS and EdDSA).
     */
    @Test
    void theJdkLookUpOfTheEndPointHashAgreesWithBouncyCastles() throws Exception {
        List<X509Certificate> certificates = new ArrayList<>();
        for (String algorithm : List.of("SHA1withRSA", "SHA224withRSA", "SHA256withRSA", "SHA384withRSA", "SHA512withRSA")) {
            certificates.add(TestCertificates.selfSigned(TestCertificates.rsaKeyPair(), algorithm));
        }
        for (String algorithm : List.of("SHA1withECDSA", "SHA224withECDSA", "SHA256withECDSA", "SHA384withECDSA",
                "SHA512withECDSA")) {
            certificates.add(TestCertificates.selfSigned(TestCertificates.ecKeyPair(), algorithm));
        }
        certificates.add(TestCertificates.selfSigned(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "Ed25519"));

        for (X509Certificate certificate : certificates) {
            Optional<String> byBouncyCastle = SignatureDigests.endPointDigest(certificate)
                    .map(digest -> HexFormat.of().formatHex(digest.digest(encoded(certificate))));
            assertThat(TlsChannelBindings.endPointHash(certificate).map(HexFormat.of()::formatHex))
                    .as(certificate.getSigAlgName()).isEqualTo(byBouncyCastle);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }

    private void handshake(SslHandler server, SslHandler client) throws Exception {
        pump(server, client);
        assertThat(server.handshakeFuture().cause()).isNull();
        assertThat(client.handshakeFuture().cause()).isNull();
        assertThat(server.handshakeFuture().isSuccess()).isTrue();
        assertThat(client.handshakeFuture().isSuccess()).isTrue();
    }

    /** Carries TLS records between the two channels until both handshakes are done or stalled. */
    private void pump(SslHandler server, SslHandler client) {
        serverChannel = new EmbeddedChannel(server);
        clientChannel = new EmbeddedChannel(client);
        for (int round = 0; round < 50; round++) {
            boolean moved = transfer(clientChannel, serverChannel) | transfer(serverChannel, clientChannel);
            if (!moved && server.handshakeFuture().isDone() && client.handshakeFuture().isDone()) {
                return;
            }
            if (!moved && round > 0) {
                return;
            }
        }
    }

    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf record = from.readOutbound(); record != null; record = from.readOutbound()) {
            moved = true;
            if (!to.isActive()) {
                record.release();
                continue;
            }
            try {
                to.writeInbound(record);
            } catch (RuntimeException handshakeFailure) {
                // Surfaces through the handshake future the test inspects.
            }
        }
        return moved;
    }

    /** A minimal ClientHello offering only TLS 1.1 (RFC 4346 §7.4.1.2): no supported_versions extension. */
    private static byte[] tls11ClientHello() {
        byte[] body = new byte[2 + 32 + 1 + 2 + 4 + 2];
        int i = 0;
        body[i++] = 3;
        body[i++] = 2; // client_version TLS 1.1
        for (int r = 0; r < 32; r++) {
            body[i++] = (byte) r;
        }
        body[i++] = 0; // empty session_id
        body[i++] = 0;
        body[i++] = 4; // two cipher suites
        body[i++] = (byte) 0xc0;
        body[i++] = 0x09; // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
        body[i++] = 0x00;
        body[i++] = 0x2f; // TLS_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 1;
        body[i++] = 0; // null compression
        byte[] record = new byte[5 + 4 + body.length];
        record[0] = 22; // handshake
        record[1] = 3;
        record[2] = 1;
        record[3] = 0;
        record[4] = (byte) (4 + body.length);
        record[5] = 1; // client_hello
        record[6] = 0;
        record[7] = 0;
        record[8] = (byte) body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }
}
