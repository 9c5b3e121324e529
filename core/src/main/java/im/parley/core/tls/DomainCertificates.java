package im.parley.core.tls;

import im.parley.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's per-domain certificate store: operator-provided PEM files, or a self-signed
 * certificate generated on first start and kept in the certificate directory as
 * {@code <domain>.crt} and {@code <domain>.key}, so clients that pinned it keep seeing the
 * same one after a restart. The directory is created 0700 and both files 0600.
 *
 * <p>Every certificate is checked to cover its domain as RFC 6120 §13.7.2.1 and RFC 6125 §6
 * define it (DNS-ID, possibly with a left-most wildcard, or XmppAddr-ID), because a server
 * presenting a certificate for another name fails every verifying client.
 */
public final class DomainCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(DomainCertificates.class);

    private final Path certDirectory;

    public DomainCertificates(Path certDirectory) {
        this.certDirectory = certDirectory;
    }

    /**
     * Loads {@code <dir>/<domain>.crt} and {@code <dir>/<domain>.key}, or generates a
     * self-signed certificate and writes it there when neither file exists. A self-signed
     * certificate that has expired is replaced by a fresh one.
     *
     * @throws IOException if only one of the two files exists, if they cannot be read or
     *     written, or if the certificate does not cover the domain
     */
    public synchronized KeyMaterial loadOrGenerate(String domain) throws IOException {
        String fileStem = fileStem(domain);
        Path certificate = certDirectory.resolve(fileStem + ".crt");
        Path key = certDirectory.resolve(fileStem + ".key");
        boolean certificateExists = Files.exists(certificate);
        boolean keyExists = Files.exists(key);
        if (certificateExists && keyExists) {
            KeyMaterial loaded = load(domain, certificate, key);
            if (!isExpiredSelfSigned(loaded.leaf())) {
                return loaded;
            }
            LOG.warn("Self-signed certificate {} for {} expired on {}; generating a new one",
                    certificate, domain, loaded.leaf().getNotAfter());
        } else if (certificateExists || keyExists) {
            throw new IOException("found " + (certificateExists ? certificate : key) + " but not "
                    + (certificateExists ? key : certificate) + "; provide both files or remove the other");
        }
        KeyMaterial generated = SelfSignedCertificates.generate(domain);
        OwnerOnlyFiles.createDirectories(certDirectory);
        PemFiles.write(generated, certificate, key);
        LOG.info("Generated a self-signed certificate for {} in {}", domain, certificate);
        return generated;
    }

    /**
     * Loads operator-provided PEM files (a full chain, leaf first, and its unencrypted key).
     *
     * @throws IOException if the files cannot be read, the key does not match, or the leaf
     *     certificate does not cover {@code domain}
     */
    public KeyMaterial load(String domain, Path certificatePem, Path privateKeyPem) throws IOException {
        KeyMaterial keyMaterial = PemFiles.read(certificatePem, privateKeyPem);
        X509Certificate leaf = keyMaterial.leaf();
        requireCovers(leaf, domain, certificatePem);
        if (leaf.getNotAfter().before(new Date())) {
            LOG.warn("Certificate {} for {} expired on {}", certificatePem, domain, leaf.getNotAfter());
        }
        return keyMaterial;
    }

    /**
     * @throws IOException naming {@code certificatePem} and what the certificate names instead, if
     *     {@code leaf} does not cover {@code domain}
     */
    public static void requireCovers(X509Certificate leaf, String domain, Path certificatePem) throws IOException {
        if (!CertificateDomainMatcher.covers(leaf, domain)) {
            throw new IOException("certificate " + certificatePem + " does not cover domain " + domain
                    + "; it names " + CertificateDomainMatcher.describeIdentities(leaf)
                    + " (RFC 6125: subjectAltName DNS or xmppAddr entries; the Common Name is not used)");
        }
    }

    /** Domains become file names; refuse anything that could step outside the directory. */
    private static String fileStem(String domain) throws IOException {
        String stem = domain.toLowerCase(Locale.ROOT);
        if (stem.isEmpty() || stem.startsWith(".") || stem.contains("/") || stem.contains("\\")
                || stem.chars().anyMatch(c -> c < 0x20)) {
            throw new IOException("not a usable domain name for a certificate file: '" + domain + "'");
        }
        return stem;
    }

    private static boolean isExpiredSelfSigned(X509Certificate certificate) {
        if (!certificate.getNotAfter().before(new Date())
                || !certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
