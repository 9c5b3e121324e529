package im.parley.core.tls;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes {@link KeyMaterial} as PEM files (RFC 7468), the way ACME clients such as
 * certbot store them: a chain file with the leaf first ({@code fullchain.pem}) and a separate
 * unencrypted key file ({@code privkey.pem}).
 *
 * <p>Accepted key encodings: PKCS#8 {@code PRIVATE KEY} (RFC 7468 §10), PKCS#1
 * {@code RSA PRIVATE KEY} (RFC 8017 Appendix A.1.2) and SEC1 {@code EC PRIVATE KEY}
 * (RFC 5915 §3). Keys are written as PKCS#8.
 */
public final class PemFiles {

    private PemFiles() {
    }

    /**
     * Reads a certificate chain (leaf first) and the leaf's private key.
     *
     * @throws IOException naming the file if one is missing or not PEM of the expected kind, if
     *     the key does not belong to the leaf certificate, or if the chain is out of order
     */
    public static KeyMaterial read(Path certificateChainPem, Path privateKeyPem) throws IOException {
        // The usual files need no BouncyCastle (JdkPemReader says why that matters); it reads the rest.
        KeyMaterial read = JdkPemReader.read(certificateChainPem, privateKeyPem).orElse(null);
        List<X509Certificate> chain = read != null ? read.chain() : BouncyCastlePemReader.readChain(certificateChainPem);
        PrivateKey key = read != null ? read.privateKey() : BouncyCastlePemReader.readPrivateKey(privateKeyPem);
        checkChainOrder(chain, certificateChainPem);
        if (!KeyPairs.matches(key, chain.get(0))) {
            throw new IOException("private key " + privateKeyPem
                    + " does not belong to the first certificate of " + certificateChainPem);
        }
        return new KeyMaterial(key, chain);
    }

    /**
     * Writes the chain and the key, both readable by their owner only (0600) where the file
     * system has POSIX permissions: every file Parley writes is. Each file is written to a
     * temporary sibling first and then moved into place, so a crash never leaves half a key behind.
     */
    public static void write(KeyMaterial keyMaterial, Path certificatePem, Path privateKeyPem) throws IOException {
        StringBuilder chainText = new StringBuilder();
        try {
            for (X509Certificate certificate : keyMaterial.chain()) {
                chainText.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode certificate " + e.getMessage(), e);
        }
        // A JDK key's encoding is PKCS#8 PrivateKeyInfo, RFC 5208 §5, written unencrypted as RFC 7468 §10 has it.
        String keyText = pem("PRIVATE KEY", keyMaterial.privateKey().getEncoded());
        OwnerOnlyFiles.write(privateKeyPem, keyText.getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFiles.write(certificatePem, chainText.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 7468 §2: the label lines around Base64 in lines of 64 characters. */
    private static String pem(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    /** Each certificate must be issued by the next one, as TLS sends them (RFC 8446 §4.4.2). */
    private static void checkChainOrder(List<X509Certificate> chain, Path file) throws IOException {
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                throw new IOException(file + ": certificate " + (i + 1) + " (" + chain.get(i).getSubjectX500Principal()
                        + ") is not issued by the certificate after it; put the leaf first, then its issuers in order");
            }
        }
    }

    /** Proof of possession: the key signs a random challenge the certificate's public key verifies. */
    static final class KeyPairs {

        private static final SecureRandom RANDOM = new SecureRandom();

        private KeyPairs() {
        }

        static boolean matches(PrivateKey key, X509Certificate certificate) throws IOException {
            String algorithm = signatureAlgorithm(key);
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            try {
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(challenge);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(certificate.getPublicKey());
                verifier.update(challenge);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                // A key of another algorithm than the certificate's fails to initialise the verifier.
                return false;
            }
        }

        private static String signatureAlgorithm(PrivateKey key) throws IOException {
            switch (key.getAlgorithm()) {
                case "RSA":
                    return "SHA256withRSA";
                case "EC":
                case "ECDSA":
                    return "SHA256withECDSA";
                case "Ed25519":
                case "Ed448":
                case "EdDSA":
                    return key.getAlgorithm();
                default:
                    throw new IOException("unsupported private key algorithm " + key.getAlgorithm()
                            + "; use an RSA, EC or EdDSA key");
            }
        }
    }
}
