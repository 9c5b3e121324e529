package im.parley.server.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Whether every migration at a Flyway location has already run, read from Flyway's own history
 * table without loading Flyway: the everyday start of a server whose schema is current then costs
 * one query per location instead of Flyway's ~400 classes, its class path scan and its validation
 * (issue 19). "Already run" is what Flyway's validation would accept: each {@code V<version>__*.sql}
 * file has a successful row of its version with the same checksum (Flyway's: CRC-32 of the
 * file's lines, line breaks left out), and the table holds nothing else but Flyway's own markers. Anything
 * this check does not know (another kind of file or row, a location outside a directory or jar, no
 * table yet) answers false, and Flyway runs as before: it migrates, or fails validation with its
 * own message.
 */
final class AppliedMigrations {

    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");
    private static final String CLASSPATH = "classpath:";
    private static final String UTF8_BOM = "\uFEFF";
    /** Rows Flyway writes for itself (the history table or schema it created, a baseline), not migrations. */
    private static final Set<String> MARKERS = Set.of("TABLE", "SCHEMA", "BASELINE");

    private AppliedMigrations() {
    }

    /**
     * True if every migration at {@code location} ({@code classpath:db/...}) found through
     * {@code loader} is recorded as applied, unchanged, in {@code historyTable}, and nothing else is.
     */
    static boolean upToDate(DataSource dataSource, ClassLoader loader, String location, String historyTable) {
        if (!location.startsWith(CLASSPATH)) {
            return false;
        }
        try {
            Optional<Map<String, Integer>> files = migrations(loader, location.substring(CLASSPATH.length()));
            return files.isPresent() && !files.get().isEmpty()
                    && files.get().equals(applied(dataSource, historyTable).orElse(null));
        } catch (IOException | SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Version to checksum of each versioned SQL migration; empty if the location holds anything else. */
    private static Optional<Map<String, Integer>> migrations(ClassLoader loader, String directory) throws IOException {
        List<String> names = new ArrayList<>();
        for (URL url : Collections.list(loader.getResources(directory))) {
            Optional<List<String>> listed = list(url, directory);
            if (listed.isEmpty()) {
                return Optional.empty();
            }
            names.addAll(listed.get());
        }
        Map<String, Integer> checksums = new HashMap<>();
        for (String name : names) {
            Matcher versioned = VERSIONED.matcher(name);
            if (!versioned.matches()) {
                return Optional.empty();
            }
            try (InputStream in = loader.getResourceAsStream(directory + "/" + name)) {
                if (in == null || checksums.put(versioned.group(1).replace('_', '.'), checksum(in)) != null) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(checksums);
    }

    /** The file names directly in a class path directory, in a file system directory or a jar. */
    private static Optional<List<String>> list(URL url, String directory) throws IOException {
        if (url.getProtocol().equals("file")) {
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                return Optional.of(files.map(file -> file.getFileName().toString()).toList());
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        if (!url.getProtocol().equals("jar")) {
            return Optional.empty();
        }
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        String prefix = directory + "/";
        List<String> names = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.startsWith(prefix) && name.length() > prefix.length()
                        && name.indexOf('/', prefix.length()) < 0) {
                    names.add(name.substring(prefix.length()));
                }
            }
        }
        return Optional.of(names);
    }

    /** Flyway's checksum of a migration: CRC-32 over the UTF-8 bytes of its lines, without line breaks or a BOM. */
    static int checksum(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line != null && line.startsWith(UTF8_BOM)) {
            line = line.substring(1);
        }
        for (; line != null; line = reader.readLine()) {
            crc.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }

    /** Version to checksum of each successful SQL migration in the history; empty if it holds anything else. */
    private static Optional<Map<String, Integer>> applied(DataSource dataSource, String historyTable)
            throws SQLException {
        Map<String, Integer> applied = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT \"version\", \"checksum\", \"type\", \"success\" FROM \""
                     + historyTable + "\"")) {
            while (rows.next()) {
                String type = rows.getString(3);
                if (!rows.getBoolean(4)) {
                    return Optional.empty();
                }
                if (type.equals("SQL")) {
                    int checksum = rows.getInt(2);
                    if (rows.wasNull() || applied.put(rows.getString(1), checksum) != null) {
                        return Optional.empty();
                    }
                } else if (!MARKERS.contains(type)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(applied);
    }
}
