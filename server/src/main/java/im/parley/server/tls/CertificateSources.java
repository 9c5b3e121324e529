package im.parley.server.tls;

import im.parley.core.tls.DomainCertificates;
import im.parley.core.tls.KeyMaterial;
import im.parley.core.tls.PemFiles;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's certificate files read in one go: those of {@code tls.certificates} (each
 * checked to cover the host it is configured for) and those found in {@code tls.certificates_dir},
 * by certificate file, and the files refused with the reason (unreadable, a key that does not
 * match, not covering its host; on a reload also expired or not valid yet). The certificates
 * directory itself is among the refused when it cannot be listed.
 *
 * @param loaded the usable key material by certificate file, configured entries first
 * @param refused why each refused file (or the directory) could not be used
 */
record CertificateSources(Map<Path, KeyMaterial> loaded, Map<Path, String> refused) {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateSources.class);

    /**
     * Reads the configured files and the directory. At start an expired certificate is used with a
     * warning (better than none); a reload refuses it, since the one in use is no worse.
     */
    static CertificateSources read(TlsConfig config, Clock clock, boolean reloading) {
        Map<Path, KeyMaterial> loaded = new LinkedHashMap<>();
        Map<Path, String> refused = new LinkedHashMap<>();
        CertificateSources sources = new CertificateSources(loaded, refused);
        for (Map.Entry<String, CertificateFiles> own : config.certificates().entrySet()) {
            sources.add(own.getValue(), own.getKey(), clock.instant(), reloading);
        }
        Path directory = config.certificatesDirectory();
        if (directory != null) {
            try {
                for (CertificateFiles files : CertificateDirectory.scan(directory)) {
                    if (!loaded.containsKey(files.certificate())) {
                        sources.add(files, null, clock.instant(), reloading);
                    }
                }
            } catch (IOException e) {
                refused.put(directory, "cannot list " + directory + ": " + e);
            }
        }
        return sources;
    }

    /** Why the certificate is not valid at {@code now}, or null when it is. */
    static String validity(X509Certificate leaf, Instant now) {
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            return "expired on " + leaf.getNotAfter().toInstant();
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return "is not valid before " + leaf.getNotBefore().toInstant();
        }
        return null;
    }

    /** Reads one pair; {@code host} is the host it is configured for, or null for one of the directory. */
    private void add(CertificateFiles files, String host, Instant now, boolean reloading) {
        try {
            KeyMaterial key = PemFiles.read(files.certificate(), files.privateKey());
            if (host != null) {
                DomainCertificates.requireCovers(key.leaf(), host, files.certificate());
            }
            String invalid = validity(key.leaf(), now);
            if (invalid != null && reloading) {
                throw new IOException("certificate " + files.certificate() + " " + invalid);
            } else if (invalid != null) {
                LOG.warn("Certificate {} {}", files.certificate(), invalid);
            }
            loaded.put(files.certificate(), key);
        } catch (IOException | RuntimeException e) {
            refused.put(files.certificate(), e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }
}
