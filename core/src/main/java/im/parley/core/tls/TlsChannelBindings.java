package im.parley.core.tls;

import im.parley.core.sasl.ChannelBindingSource;
import io.netty.handler.ssl.SslHandler;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.lang.reflect.Method;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Channel binding data of one TLS connection, read from its {@link SSLEngine} each time it is
 * asked, so it may be created before the handshake and used after it. A type is listed in
 * {@link #supportedTypes()} only when its data can actually be produced, so a SASL layer never
 * offers a {@code -PLUS} binding it cannot complete.
 *
 * <ul>
 *   <li>{@code tls-server-end-point} (RFC 5929 §4.1): the hash of the server's certificate,
 *       with the hash of the certificate's signature algorithm, SHA-256 if that is MD5 or
 *       SHA-1. On the server side the certificate is our own, on the client side the peer's.
 *   <li>{@code tls-exporter} (RFC 9266 §2): 32 bytes exported with label
 *       {@code EXPORTER-Channel-Binding} and an empty context (RFC 5705, RFC 8446 §7.5), asked
 *       through the JDK's {@code ExtendedSSLSession.exportKeyingMaterialData}, which exists
 *       from Java 25 on (Java 17 has no RFC 5705 exporter API; BouncyCastle's JSSE erases the
 *       exporter secret after the handshake, bc-java #1535, so it is no alternative). Offered
 *       only on TLS 1.3: RFC 9266 §3 forbids it on TLS 1.2 without the extended master secret,
 *       which an engine does not report. On Java 17 the type is not listed.
 * </ul>
 */
public final class TlsChannelBindings implements ChannelBindingSource {

    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";
    public static final String TLS_EXPORTER = "tls-exporter";

    private static final int EXPORTER_LENGTH = 32;
    private static final String EXPORTER_LABEL = "EXPORTER-Channel-Binding";
    /** {@code ExtendedSSLSession.exportKeyingMaterialData}, present from Java 25 on; null before. */
    private static final Method EXPORT_METHOD = exportMethod();
    private static final String NO_CIPHER_SUITE = "SSL_NULL_WITH_NULL_NULL";

    private final SSLEngine engine;

    public TlsChannelBindings(SslHandler handler) {
        this(handler.engine());
    }

    public TlsChannelBindings(SSLEngine engine) {
        this.engine = engine;
    }

    @Override
    public Set<String> supportedTypes() {
        Set<String> types = new LinkedHashSet<>();
        for (String type : List.of(TLS_EXPORTER, TLS_SERVER_END_POINT)) {
            if (data(type).isPresent()) {
                types.add(type);
            }
        }
        return Set.copyOf(types);
    }

    @Override
    public Optional<byte[]> data(String type) {
        Optional<SSLSession> session = establishedSession();
        if (session.isEmpty()) {
            return Optional.empty();
        }
        switch (type) {
            case TLS_EXPORTER:
                return exporter(session.get());
            case TLS_SERVER_END_POINT:
                return serverCertificate(session.get()).flatMap(TlsChannelBindings::endPointHash);
            default:
                return Optional.empty();
        }
    }

    /** The session once a handshake has completed; during (re)handshakes the old session stays valid. */
    private Optional<SSLSession> establishedSession() {
        SSLSession session = engine.getSession();
        if (session == null || NO_CIPHER_SUITE.equals(session.getCipherSuite())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /**
     * RFC 5705 export through {@code ExtendedSSLSession.exportKeyingMaterialData}, which the
     * JDK's JSSE has since Java 25 (JDK-8341346). Java 17 has no exporter API at all, so on
     * older runtimes the type is simply not available. Looked up reflectively because the code
     * is compiled for Java 17.
     */
    private Optional<byte[]> exporter(SSLSession session) {
        if (!"TLSv1.3".equals(session.getProtocol()) || EXPORT_METHOD == null
                || !(session instanceof ExtendedSSLSession)) {
            return Optional.empty();
        }
        try {
            byte[] binding = (byte[]) EXPORT_METHOD.invoke(session, EXPORTER_LABEL, new byte[0], EXPORTER_LENGTH);
            return binding != null && binding.length == EXPORTER_LENGTH ? Optional.of(binding) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Method exportMethod() {
        try {
            return ExtendedSSLSession.class.getMethod("exportKeyingMaterialData", String.class, byte[].class, int.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private Optional<X509Certificate> serverCertificate(SSLSession session) {
        Certificate[] chain;
        if (engine.getUseClientMode()) {
            try {
                chain = session.getPeerCertificates();
            } catch (SSLPeerUnverifiedException e) {
                return Optional.empty();
            }
        } else {
            chain = session.getLocalCertificates();
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
            return Optional.empty();
        }
        return Optional.of((X509Certificate) chain[0]);
    }

    /**
     * The JCA digest of each common signature algorithm (by OID) for RFC 5929 §4.1: the
     * signature's hash, SHA-256 where that is MD5 or SHA-1. Read with the JDK alone: looking the
     * hash up through BouncyCastle loaded its signed jars at the first login after every start
     * (about 0.15 s, issue 19); other algorithms (RSASSA-PSS, whose hash is in its parameters,
     * EdDSA) still go through it ({@link SignatureDigests}).
     */
    private static final Map<String, String> SIGNATURE_DIGESTS = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.4", "SHA-256"), // md5WithRSAEncryption
            Map.entry("1.2.840.113549.1.1.5", "SHA-256"), // sha1WithRSAEncryption
            Map.entry("1.2.840.113549.1.1.14", "SHA-224"),
            Map.entry("1.2.840.113549.1.1.11", "SHA-256"),
            Map.entry("1.2.840.113549.1.1.12", "SHA-384"),
            Map.entry("1.2.840.113549.1.1.13", "SHA-512"),
            Map.entry("1.2.840.10045.4.1", "SHA-256"), // ecdsa-with-SHA1
            Map.entry("1.2.840.10045.4.3.1", "SHA-224"),
            Map.entry("1.2.840.10045.4.3.2", "SHA-256"),
            Map.entry("1.2.840.10045.4.3.3", "SHA-384"),
            Map.entry("1.2.840.10045.4.3.4", "SHA-512"),
            Map.entry("1.2.840.10040.4.3", "SHA-256"), // dsa-with-sha1
            Map.entry("2.16.840.1.101.3.4.3.1", "SHA-224"),
            Map.entry("2.16.840.1.101.3.4.3.2", "SHA-256"));

    /** RFC 5929 §4.1; certificates whose signature names no single hash (EdDSA) have no binding. */
    static Optional<byte[]> endPointHash(X509Certificate certificate) {
        try {
            String digest = SIGNATURE_DIGESTS.get(certificate.getSigAlgOID());
            Optional<MessageDigest> messageDigest = digest != null
                    ? Optional.of(MessageDigest.getInstance(digest))
                    : SignatureDigests.endPointDigest(certificate);
            return messageDigest.map(md -> {
                try {
                    return md.digest(certificate.getEncoded());
                } catch (CertificateEncodingException e) {
                    return null;
                }
            });
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
