package im.parley.core.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;

/**
 * The RFC 5929 §4.1 hash of a certificate whose signature algorithm {@link TlsChannelBindings}
 * does not know by itself (RSASSA-PSS, whose hash is in the algorithm's parameters, and the
 * rarer ones), found through BouncyCastle, in a class of its own so that its jars load only
 * for such a certificate.
 */
final class SignatureDigests {

    private SignatureDigests() {
    }

    /** The signature's hash, SHA-256 if that is MD5 or SHA-1; empty if it names no single hash (EdDSA). */
    static Optional<MessageDigest> endPointDigest(X509Certificate certificate) throws GeneralSecurityException {
        AlgorithmIdentifier signature = new JcaX509CertificateHolder(certificate).getSignatureAlgorithm();
        AlgorithmIdentifier digest = DefaultDigestAlgorithmIdentifierFinder.INSTANCE.find(signature);
        if (digest == null) {
            return Optional.empty();
        }
        if (digest.getAlgorithm().equals(PKCSObjectIdentifiers.md5)
                || digest.getAlgorithm().equals(OIWObjectIdentifiers.idSHA1)) {
            digest = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
        }
        // The JDK knows its digests by OID, which avoids a BC-to-JCA name mapping.
        return Optional.of(MessageDigest.getInstance(digest.getAlgorithm().getId()));
    }
}
