package im.parley.core.tls;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

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
        List<X509Certificate> chain = readChain(certificateChainPem);
        PrivateKey key = readPrivateKey(privateKeyPem);
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
        StringWriter chainText = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(chainText)) {
            for (X509Certificate certificate : keyMaterial.chain()) {
                pem.writeObject(certificate);
            }
        }
        StringWriter keyText = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(keyText)) {
            pem.writeObject(new JcaPKCS8Generator(keyMaterial.privateKey(), null));
        }
        OwnerOnlyFiles.write(privateKeyPem, keyText.toString().getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFiles.write(certificatePem, chainText.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static List<X509Certificate> readChain(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : readPemObjects(file)) {
            if (!(object instanceof X509CertificateHolder)) {
                throw new IOException(file + " holds a " + object.getClass().getSimpleName()
                        + " where only CERTIFICATE blocks are expected");
            }
            try {
                chain.add(converter.getCertificate((X509CertificateHolder) object));
            } catch (CertificateException e) {
                throw new IOException(file + " holds a garbled certificate: " + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(file + " holds no PEM CERTIFICATE block");
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        List<Object> objects = new ArrayList<>(readPemObjects(file));
        // `openssl ecparam -genkey` puts an EC PARAMETERS block before the key; the key repeats them.
        objects.removeIf(object -> object instanceof ASN1ObjectIdentifier || object instanceof X9ECParameters);
        if (objects.size() != 1) {
            throw new IOException(file + " holds " + objects.size() + " PEM blocks; expected exactly one private key");
        }
        Object object = objects.get(0);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (object instanceof PrivateKeyInfo) {
                return converter.getPrivateKey((PrivateKeyInfo) object);
            }
            if (object instanceof PEMKeyPair) {
                return converter.getPrivateKey(((PEMKeyPair) object).getPrivateKeyInfo());
            }
        } catch (PEMException e) {
            throw new IOException(file + " holds a private key this runtime cannot use: " + e.getMessage(), e);
        }
        throw new IOException(file + " holds a " + object.getClass().getSimpleName()
                + "; expected an unencrypted PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
    }

    /** Every PEM block of the file, decoded; text outside blocks is ignored as RFC 7468 §2 allows. */
    private static List<Object> readPemObjects(Path file) throws IOException {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(open(file))) {
            try {
                for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                    objects.add(object);
                }
            } catch (IOException | RuntimeException e) {
                // BouncyCastle reports bad Base64 or DER as runtime or I/O errors without the file name.
                throw new IOException(file + " is not well-formed PEM: " + e.getMessage(), e);
            }
        }
        return objects;
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

    private static Reader open(Path file) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "PEM file not found");
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
