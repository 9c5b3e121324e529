package im.parley.server.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for the store tests, made with the binaries of Debian's
 * {@code postgresql} package ({@code /usr/lib/postgresql/<version>/bin}, or the directory the
 * system property {@code parley.postgresql.bin} names): {@code initdb} into a directory under
 * the test run's {@code TMPDIR}, {@code pg_ctl start} listening on 127.0.0.1 only at a free port (its
 * Unix socket in the cluster's own directory), stopped when the JVM exits. One cluster serves
 * the whole test run; each test gets a database of its own ({@link #createDatabase()}), owned by
 * the unprivileged role Parley logs in as. Public for the tests of other modules that need a
 * shared database (a cluster of Parley processes in conformance-tests).
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root: then {@code initdb} and
 * {@code pg_ctl} run as {@code nobody} (util-linux {@code setpriv}), the cluster directory is
 * theirs, and the directories above it inside that {@code TMPDIR} get the search bit for
 * others (enter, not list) so that {@code nobody} can reach it.
 *
 * <p>Without the binaries the tests fail: a missing install step must show, not skip.
 */
public final class PostgresCluster {

    public static final String ROLE = "parley";
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final Path bin;
    private final Path directory;
    private final boolean asNobody;
    private final String superuserPassword = "super-" + Long.toHexString(System.nanoTime());
    private final String rolePassword = "role-" + Long.toHexString(System.nanoTime() * 31);
    private int port;

    private PostgresCluster(Path bin, Path directory, boolean asNobody) {
        this.bin = bin;
        this.directory = directory;
        this.asNobody = asNobody;
    }

    /** The cluster of this test run, started on first use. */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            try {
                boolean asNobody = "root".equals(System.getProperty("user.name"));
                PostgresCluster cluster = new PostgresCluster(binaries(),
                        Files.createTempDirectory(clusterParent(asNobody), "parley-postgresql-"), asNobody);
                cluster.start();
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "postgresql-stop"));
                shared = cluster;
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("cannot start a PostgreSQL cluster for the tests: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    /** A new, empty database owned by {@link #ROLE}; its JDBC URL. */
    public String createDatabase() throws SQLException {
        String name = "parley_test_" + DATABASES.incrementAndGet();
        try (Connection connection = superuser(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " OWNER " + ROLE);
        }
        return url(name);
    }

    /** Drops a database {@link #createDatabase()} made, closing what is still connected to it. */
    public void dropDatabase(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection connection = superuser(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public String rolePassword() {
        return rolePassword;
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private Connection superuser() throws SQLException {
        return DriverManager.getConnection(url("postgres"), SUPERUSER, superuserPassword);
    }

    private void start() throws IOException, SQLException {
        Path data = directory.resolve("data");
        Path passwordFile = directory.resolve("superuser.password");
        Files.writeString(passwordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
        if (asNobody) {
            openPathForOthers(directory);
            chownToNobody(directory);
            chownToNobody(passwordFile);
        }
        // Password (SCRAM) logins over TCP, as a production server makes them. A linguistic
        // collation (ICU en-US: "alpha" < "Zeta"), as production databases mostly have, unlike H2's
        // code-point order: an ORDER BY on text would give the two databases different orders.
        // fsync off: the cluster is thrown away.
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "-E", "UTF8",
                "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US", "--no-sync",
                "--auth-host=scram-sha-256", "--auth-local=trust", "--pwfile=" + passwordFile));
        Files.delete(passwordFile);
        IOException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                        directory.resolve("postgresql.log").toString(), "-w", "-t", "60", "-o",
                        "-h 127.0.0.1 -p " + port + " -k " + directory + " -F -c max_connections=200", "start"));
                failure = null;
                break;
            } catch (IOException e) {
                // Another process took the port between our probe and the start: try another.
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        try (Connection connection = superuser(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + rolePassword + "'");
        }
    }

    private void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } catch (IOException e) {
            System.err.println("stopping the test PostgreSQL cluster in " + directory + " failed: " + e.getMessage());
        }
    }

    private void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile(directory.getParent(), "postgresql-command-", ".log");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(directory.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(output) + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + full, e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String logTail() throws IOException {
        Path log = directory.resolve("postgresql.log");
        return Files.exists(log) ? "\npostgresql.log:\n" + Files.readString(log) : "";
    }

    /** The run's {@code TMPDIR} (.ci/run makes one per run), else {@code java.io.tmpdir}. */
    /**
     * Where the cluster's directory goes: the temporary directory, unless PostgreSQL runs as
     * {@code nobody} and a directory above it keeps others out (a private TMPDIR inside another
     * one made by {@code mktemp -d}, 0700, which is not ours to open): then the system's
     * {@code /tmp}, where the cluster still gets a directory of its own.
     */
    private static Path clusterParent(boolean asNobody) throws IOException {
        Path tmp = temporaryFiles();
        if (!asNobody) {
            return tmp;
        }
        for (Path dir = tmp.getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return Path.of("/tmp").toRealPath();
            }
        }
        return tmp;
    }

    private static Path temporaryFiles() throws IOException {
        String tmpdir = System.getenv("TMPDIR");
        return (tmpdir != null && !tmpdir.isEmpty() ? Path.of(tmpdir) : Path.of(System.getProperty("java.io.tmpdir")))
                .toRealPath();
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} with initdb, or the configured one. */
    private static Path binaries() throws IOException {
        String configured = System.getProperty("parley.postgresql.bin");
        if (configured != null) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(PostgresCluster::version));
                if (newest.isPresent()) {
                    return newest.get();
                }
            }
        }
        throw new IOException("no PostgreSQL server binaries in " + root + "/<version>/bin: install Debian's "
                + "postgresql package (.ci/run does), or set -Dparley.postgresql.bin=<directory of initdb and pg_ctl>");
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Lets {@code nobody} reach {@code directory}: the search bit for others on it and on every
     * directory above it up to the temporary directory (ours to change); above that, the
     * directories must already allow it.
     */
    private static void openPathForOthers(Path directory) throws IOException {
        Path real = directory.toRealPath();
        // Ours to change: the temporary directory, or only the cluster's own directory when it is elsewhere.
        Path tmp = real.startsWith(temporaryFiles()) ? temporaryFiles() : real;
        for (Path dir = directory.toRealPath(); dir != null; dir = dir.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            if (permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                continue;
            }
            if (!dir.startsWith(tmp)) {
                throw new IOException("PostgreSQL runs as nobody, who cannot enter " + dir + " on the way to " + directory);
            }
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(dir, permissions);
        }
    }

    private static void chownToNobody(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, users.lookupPrincipalByName("nobody"));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName("nogroup"));
    }
}
