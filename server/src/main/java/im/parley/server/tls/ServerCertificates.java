package im.parley.server.tls;

import im.parley.core.tls.CertificateDomainMatcher;
import im.parley.core.tls.DomainCertificates;
import im.parley.core.tls.KeyMaterial;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import org.jxmpp.jid.DomainBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which certificate each host of the server presents (RFC 6120 §13.7.1.2: a server presents a
 * certificate for the domain the peer asked for), and reading them again while the server runs.
 *
 * <p>A host (a hosted domain, or a service domain such as {@code conference.example.org}) takes,
 * in this order: its own entry of {@code tls.certificates}; else, among every configured
 * certificate and those of {@code tls.certificates_dir}, one whose subjectAltNames cover it
 * (RFC 6125 §6.4, {@code *.example.org} included), preferring one valid now and then the one
 * valid longest, so a renewed certificate wins over the old one beside it; else, for a hosted
 * domain, the self-signed certificate generated into the data directory, and for a service
 * domain the certificate of its hosted domain.
 *
 * <p>{@link #reload()} reads every file again (Let's Encrypt renews every 60 to 90 days) and hands
 * the hosts whose certificate changed to the {@link Sink}s; connections made before keep theirs.
 * A file that cannot be read, whose key does not match, that has expired or is not valid yet, or
 * that does not cover its host, is refused and logged, and the hosts it served keep the
 * certificate in use: a bad renewal never leaves a host without one.
 */
public final class ServerCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);

    /** Takes the key material of hosts whose certificate changed (the TLS contexts). */
    @FunctionalInterface
    public interface Sink {
        void replace(Map<DomainBareJid, KeyMaterial> keys) throws SSLException;
    }

    /** A host's key material and the certificate file it came from (null: generated, or its domain's). */
    private record Choice(KeyMaterial key, Path file) {
    }

    /** A host keeps its certificate because the file it came from was refused. */
    private static final class FileRefused extends IOException {
        private static final long serialVersionUID = 1L;

        FileRefused(String reason) {
            super(reason);
        }
    }

    private final TlsConfig config;
    private final DomainCertificates store;
    private final Clock clock;
    /** Each host with the hosted domain it belongs to (itself for a hosted domain), hosted domains first. */
    private final Map<DomainBareJid, DomainBareJid> owners = new LinkedHashMap<>();
    private final Map<DomainBareJid, Choice> chosen = new LinkedHashMap<>();
    private final List<Sink> sinks = new CopyOnWriteArrayList<>();
    private CertificateSources sources;

    /**
     * @param generatedDirectory where the self-signed certificates of hosted domains are kept
     *     ({@code <data_dir>/certs})
     */
    public ServerCertificates(TlsConfig config, Path generatedDirectory, Clock clock) {
        this.config = config;
        this.store = new DomainCertificates(generatedDirectory);
        this.clock = clock;
    }

    /**
     * Chooses the certificates of new hosts, each mapped to the hosted domain it belongs to
     * (hosted domains to themselves, before their services). The first call reads the files.
     *
     * @return the key material of each new host, in the order given
     * @throws IOException if a host's own entry of {@code tls.certificates} cannot be used (the
     *     server does not start with a certificate the operator named but cannot present)
     */
    public synchronized Map<DomainBareJid, KeyMaterial> addHosts(Map<DomainBareJid, DomainBareJid> hostOwners)
            throws IOException {
        if (sources == null) {
            sources = CertificateSources.read(config, clock, false);
            for (Map.Entry<String, CertificateFiles> own : config.certificates().entrySet()) {
                String refused = sources.refused().get(own.getValue().certificate());
                if (refused != null) {
                    throw new IOException(refused);
                }
            }
            if (config.certificatesDirectory() != null
                    && sources.refused().containsKey(config.certificatesDirectory())) {
                throw new IOException("tls.certificates_dir: "
                        + sources.refused().get(config.certificatesDirectory()));
            }
            sources.refused().forEach((file, reason) -> LOG.error("Certificate {} skipped: {}", file, reason));
        }
        Map<DomainBareJid, KeyMaterial> keys = new LinkedHashMap<>();
        for (Map.Entry<DomainBareJid, DomainBareJid> host : hostOwners.entrySet()) {
            owners.put(host.getKey(), host.getValue());
            Choice choice = choose(host.getKey(), host.getValue(), null, sources, chosen);
            chosen.put(host.getKey(), choice);
            keys.put(host.getKey(), choice.key());
        }
        return keys;
    }

    /** From now on, {@code sink} gets the hosts whose certificate a reload changed. */
    public void onChange(Sink sink) {
        sinks.add(sink);
    }

    /**
     * Reads every certificate file again and hands the hosts whose certificate changed to the
     * sinks. Never throws: what could not be used is in the report and the log, and the hosts
     * concerned keep the certificate they present.
     */
    public synchronized ReloadReport reload() {
        CertificateSources fresh = CertificateSources.read(config, clock, true);
        List<String> lines = new ArrayList<>();
        int failures = 0;
        for (Map.Entry<Path, String> refused : fresh.refused().entrySet()) {
            LOG.error("Certificate reload: {} refused, the hosts it served keep their certificate: {}",
                    refused.getKey(), refused.getValue());
            lines.add("refused " + refused.getKey() + ": " + refused.getValue());
            failures++;
        }
        Map<DomainBareJid, Choice> next = new LinkedHashMap<>();
        Map<DomainBareJid, KeyMaterial> changed = new LinkedHashMap<>();
        for (Map.Entry<DomainBareJid, DomainBareJid> host : owners.entrySet()) {
            Choice previous = chosen.get(host.getKey());
            Choice choice;
            try {
                choice = choose(host.getKey(), host.getValue(), previous, fresh, next);
            } catch (IOException e) {
                LOG.error("Certificate reload: {} keeps its certificate: {}", host.getKey(), e.getMessage());
                lines.add(host.getKey() + ": kept, " + e.getMessage());
                // A refused file is counted once above, however many hosts it served.
                failures += e instanceof FileRefused ? 0 : 1;
                choice = previous;
            }
            next.put(host.getKey(), choice);
            // The same chain is the same key pair (the key was checked against the leaf); the key's
            // own encoding may differ between a generated key and the same key read back from PEM.
            if (!choice.key().chain().equals(previous.key().chain())) {
                changed.put(host.getKey(), choice.key());
            }
        }
        try {
            for (Sink sink : sinks) {
                sink.replace(changed);
            }
        } catch (SSLException e) {
            LOG.error("Certificate reload: the new certificates cannot be used, every host keeps its own", e);
            lines.add("nothing changed: the TLS contexts cannot be built: " + e.getMessage());
            return new ReloadReport(lines, failures + 1);
        }
        sources = fresh;
        chosen.putAll(next);
        for (Map.Entry<DomainBareJid, Choice> host : next.entrySet()) {
            boolean isNew = changed.containsKey(host.getKey());
            String line = host.getKey() + ": " + (isNew ? "new certificate, " : "unchanged, ") + describe(host.getValue());
            if (isNew) {
                LOG.info("Certificate reload: {}", line);
            }
            lines.add(line);
        }
        return new ReloadReport(lines, failures);
    }

    /**
     * The directories holding the certificate files: those of the configured files, the
     * certificates directory, its {@code live/} and the directories of the files found in it.
     */
    public synchronized Set<Path> watchedDirectories() {
        Set<Path> directories = new LinkedHashSet<>();
        for (CertificateFiles own : config.certificates().values()) {
            directories.add(parent(own.certificate()));
            directories.add(parent(own.privateKey()));
        }
        Path directory = config.certificatesDirectory();
        if (directory != null) {
            directories.add(directory);
            directories.add(directory.resolve("live"));
        }
        if (sources != null) {
            sources.loaded().keySet().forEach(file -> directories.add(parent(file)));
            sources.refused().keySet().stream().filter(file -> !file.equals(directory))
                    .forEach(file -> directories.add(parent(file)));
        }
        return directories;
    }

    /** The configured entries that name no host of this server (a typo, or a service that is off). */
    public synchronized List<String> unusedEntries() {
        return config.certificates().keySet().stream()
                .filter(name -> owners.keySet().stream().noneMatch(host -> host.toString().equals(name)))
                .toList();
    }

    private Choice choose(DomainBareJid host, DomainBareJid owner, Choice previous, CertificateSources from,
                          Map<DomainBareJid, Choice> decided) throws IOException {
        CertificateFiles own = config.certificates().get(host.toString());
        if (own != null) {
            KeyMaterial key = from.loaded().get(own.certificate());
            if (key == null) {
                throw new FileRefused(from.refused().get(own.certificate()));
            }
            return new Choice(key, own.certificate());
        }
        Choice covering = bestCovering(host, from);
        if (covering != null) {
            return covering;
        }
        if (previous != null && previous.file() != null) {
            // The file it came from, or the directory holding it, was refused this time.
            for (Map.Entry<Path, String> refused : from.refused().entrySet()) {
                if (previous.file().startsWith(refused.getKey())) {
                    throw new FileRefused(refused.getValue());
                }
            }
        }
        if (host.equals(owner)) {
            return new Choice(store.loadOrGenerate(host.toString()), null);
        }
        return new Choice(decided.get(owner).key(), null);
    }

    /**
     * Valid now beats expired or not yet valid; then a certificate that names the host beats a
     * wildcard (a service's own certificate beats its domain's {@code *.example.org}); then the
     * later end of validity wins.
     */
    private Choice bestCovering(DomainBareJid host, CertificateSources from) {
        Choice best = null;
        for (Map.Entry<Path, KeyMaterial> candidate : from.loaded().entrySet()) {
            X509Certificate leaf = candidate.getValue().leaf();
            if (!covers(leaf, host.toString())) {
                continue;
            }
            if (best == null || isBetter(leaf, best.key().leaf(), host.toString())) {
                best = new Choice(candidate.getValue(), candidate.getKey());
            }
        }
        return best;
    }

    private boolean isBetter(X509Certificate candidate, X509Certificate best, String host) {
        boolean candidateValid = validNow(candidate);
        if (candidateValid != validNow(best)) {
            return candidateValid;
        }
        boolean candidateNames = namesExactly(candidate, host);
        if (candidateNames != namesExactly(best, host)) {
            return candidateNames;
        }
        return candidate.getNotAfter().after(best.getNotAfter());
    }

    private static boolean namesExactly(X509Certificate leaf, String host) {
        try {
            List<String> identities = CertificateDomainMatcher.describeIdentities(leaf);
            return identities.stream().anyMatch(identity -> identity.equalsIgnoreCase("DNS:" + host)
                    || identity.equalsIgnoreCase("xmppAddr:" + host));
        } catch (IOException unreadable) {
            return false;
        }
    }

    private boolean validNow(X509Certificate leaf) {
        return CertificateSources.validity(leaf, clock.instant()) == null;
    }

    private static String describe(Choice choice) {
        X509Certificate leaf = choice.key().leaf();
        String names;
        try {
            names = String.join(" ", CertificateDomainMatcher.describeIdentities(leaf));
        } catch (IOException e) {
            names = "?";
        }
        return "serial " + leaf.getSerialNumber().toString(16) + " naming " + names + ", valid until "
                + leaf.getNotAfter().toInstant() + (choice.file() == null ? "" : ", from " + choice.file());
    }

    private static Path parent(Path file) {
        Path absolute = file.toAbsolutePath();
        return absolute.getParent() == null ? absolute : absolute.getParent();
    }

    private static boolean covers(X509Certificate leaf, String host) {
        try {
            return CertificateDomainMatcher.covers(leaf, host);
        } catch (IOException unreadable) {
            return false;
        }
    }
}
