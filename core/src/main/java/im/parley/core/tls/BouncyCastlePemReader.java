package im.parley.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
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

/**
 * BouncyCastle's reading of PEM files, for what {@link JdkPemReader} leaves: PKCS#1
 * {@code RSA PRIVATE KEY} (RFC 8017 Appendix A.1.2), SEC1 {@code EC PRIVATE KEY} (RFC 5915 §3),
 * parameter blocks, and files that are not what they should be, which it names with the reason.
 * A class of its own, so that a start that needs none of it loads no BouncyCastle class.
 */
final class BouncyCastlePemReader {

    private BouncyCastlePemReader() {
    }

    static List<X509Certificate> readChain(Path file) throws IOException {
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

    static PrivateKey readPrivateKey(Path file) throws IOException {
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

    private static Reader open(Path file) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "PEM file not found");
        }
    }
}
