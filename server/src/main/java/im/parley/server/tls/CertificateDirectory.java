package im.parley.server.tls;

import im.parley.server.config.CertificateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The certificate files of a directory, in the layouts operators already have: Prosody's
 * {@code NAME.crt} with {@code NAME.key}, and certbot's {@code NAME/fullchain.pem} with
 * {@code NAME/privkey.pem}, also one level down under {@code live/} (so the directory may be
 * {@code /etc/letsencrypt} or its {@code live}). File names decide nothing afterwards: which
 * hosts a certificate serves is read from its subjectAltNames, as ejabberd does with
 * {@code certfiles}. Symbolic links are followed (certbot's {@code live} files are links into
 * {@code archive}).
 */
public final class CertificateDirectory {

    static final String CERTBOT_CHAIN = "fullchain.pem";
    static final String CERTBOT_KEY = "privkey.pem";

    private CertificateDirectory() {
    }

    /**
     * The pairs found, in file name order so that the choice among equal certificates is stable.
     *
     * @throws IOException if the directory cannot be listed
     */
    public static List<CertificateFiles> scan(Path directory) throws IOException {
        List<CertificateFiles> found = new ArrayList<>();
        for (Path entry : sortedEntries(directory)) {
            String name = entry.getFileName().toString();
            if (name.endsWith(".crt") && Files.isRegularFile(entry)) {
                Path key = entry.resolveSibling(name.substring(0, name.length() - ".crt".length()) + ".key");
                if (Files.exists(key)) {
                    found.add(new CertificateFiles(entry, key));
                }
            } else if (Files.isDirectory(entry)) {
                addCertbotPair(entry, found);
                if (name.equals("live")) {
                    for (Path lineage : sortedEntries(entry)) {
                        addCertbotPair(lineage, found);
                    }
                }
            }
        }
        return found;
    }

    private static void addCertbotPair(Path directory, List<CertificateFiles> found) {
        Path chain = directory.resolve(CERTBOT_CHAIN);
        Path key = directory.resolve(CERTBOT_KEY);
        if (Files.isRegularFile(chain) && Files.exists(key)) {
            found.add(new CertificateFiles(chain, key));
        }
    }

    private static List<Path> sortedEntries(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        }
    }
}
