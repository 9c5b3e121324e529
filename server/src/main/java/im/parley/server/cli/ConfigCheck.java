package im.parley.server.cli;

import im.parley.core.tls.DomainCertificates;
import im.parley.core.tls.PemFiles;
import im.parley.server.config.CertificateFiles;
import im.parley.server.config.ConfigException;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.module.ModuleSet;
import im.parley.server.modules.metrics.MetricsModule;
import im.parley.server.tls.CertificateDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code parley check-config} finds: every problem the loader finds in the file (options,
 * types, bounds), then what start would trip on: a module whose dependency is disabled,
 * certificate files that cannot be read or do not match, a data directory the server could not
 * use, listener addresses that do not resolve, two listeners on one port. Starts nothing, binds
 * nothing, writes nothing. Warnings do not fail the check.
 */
final class ConfigCheck {

    /** A problem or a warning; {@code text} names the key first, as the loader's messages do. */
    record Finding(boolean problem, String text) {
    }

    private final List<Finding> findings = new ArrayList<>();

    private ConfigCheck() {
    }

    /** Checks {@code file}, or the built-in defaults when it is null. */
    static List<Finding> run(Path file) {
        ConfigCheck check = new ConfigCheck();
        ParleyConfig config;
        if (file == null) {
            config = ConfigLoader.defaults();
        } else {
            ConfigLoader.Checked checked = ConfigLoader.check(file);
            for (ConfigException problem : checked.problems()) {
                check.problem(problem.getMessage());
            }
            if (checked.config().isEmpty()) {
                return check.findings;
            }
            config = checked.config().get();
        }
        check.modules(config);
        check.certificates(config);
        check.dataDir(config.dataDir());
        check.listeners(config);
        check.metrics(config);
        return check.findings;
    }

    /** Each hosted domain's modules have the modules they need (start refuses otherwise). */
    private void modules(ParleyConfig config) {
        ModuleCatalog catalog = ModuleCatalog.discover();
        Set<String> found = new LinkedHashSet<>();
        for (String domain : config.domains()) {
            try {
                ModuleSet.resolve(catalog, config.modules().disabledOn(domain));
            } catch (IllegalStateException e) {
                found.add(e.getMessage());
            }
        }
        found.forEach(message -> problem("modules: " + message));
    }

    /**
     * Operator-provided certificates load as start loads them: readable, matching key, covering the
     * domain. A pair in {@code tls.certificates_dir} that cannot be used is only a warning: start
     * skips it too.
     */
    private void certificates(ParleyConfig config) {
        DomainCertificates certificates = new DomainCertificates(config.dataDir().resolve("certs"));
        for (Map.Entry<String, CertificateFiles> entry : config.tls().certificates().entrySet()) {
            CertificateFiles files = entry.getValue();
            try {
                certificates.load(entry.getKey(), files.certificate(), files.privateKey());
            } catch (IOException | RuntimeException e) {
                problem("tls.certificates." + entry.getKey() + ": " + e.getMessage());
            }
        }
        Path directory = config.tls().certificatesDirectory();
        if (directory == null) {
            return;
        }
        try {
            for (CertificateFiles files : CertificateDirectory.scan(directory)) {
                try {
                    PemFiles.read(files.certificate(), files.privateKey());
                } catch (IOException | RuntimeException e) {
                    warning("tls.certificates_dir: " + e.getMessage() + "; the server skips it");
                }
            }
        } catch (IOException e) {
            problem("tls.certificates_dir: cannot list " + directory + ": " + e);
        }
    }

    /** The server creates the directory if needed, must write in it, and keeps it to itself (0700). */
    private void dataDir(Path dataDir) {
        if (!Files.exists(dataDir)) {
            Path parent = dataDir.toAbsolutePath().normalize().getParent();
            while (parent != null && !Files.exists(parent)) {
                parent = parent.getParent();
            }
            if (parent == null || !Files.isWritable(parent)) {
                problem("data_dir: " + dataDir + " does not exist and cannot be created in " + parent);
            }
            return;
        }
        if (!Files.isDirectory(dataDir)) {
            problem("data_dir: " + dataDir + " is not a directory");
            return;
        }
        if (!Files.isWritable(dataDir)) {
            problem("data_dir: " + dataDir + " is not writable by this user (" + System.getProperty("user.name")
                    + "); run the check as the server's user");
        }
        try {
            UserPrincipal owner = Files.getOwner(dataDir);
            if (!owner.getName().equals(System.getProperty("user.name"))) {
                warning("data_dir: " + dataDir + " belongs to " + owner.getName() + ", not to "
                        + System.getProperty("user.name") + ": the server must run as its owner");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dataDir);
            if (permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER"))) {
                warning("data_dir: " + dataDir + " is open to group or others; the server makes it 0700 at start");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: the server cannot tighten it either.
        }
    }

    /** Each enabled listener's address resolves, and no two listeners share an address and port. */
    private void listeners(ParleyConfig config) {
        Map<String, ListenerConfig> enabled = new LinkedHashMap<>();
        enabled.put("c2s", config.c2s());
        enabled.put("direct_tls", config.directTls());
        enabled.put("s2s", config.s2s());
        if (config.s2s().enabled()) {
            enabled.put("s2s_direct_tls", config.federation().directTls());
        }
        enabled.put("http", config.http());
        enabled.put("https", config.web().https());
        enabled.put("component", config.components().listener());
        Map<String, String> taken = new HashMap<>();
        for (Map.Entry<String, ListenerConfig> entry : enabled.entrySet()) {
            ListenerConfig listener = entry.getValue();
            if (!listener.enabled()) {
                continue;
            }
            String address;
            try {
                address = InetAddress.getByName(listener.address()).getHostAddress();
            } catch (UnknownHostException e) {
                problem(entry.getKey() + ".address: cannot resolve " + listener.address());
                continue;
            }
            String other = listener.port() == 0 ? null
                    : taken.putIfAbsent(address + ":" + listener.port(), entry.getKey());
            if (other != null) {
                problem(entry.getKey() + ".port: " + listener.port() + " on " + address + " is also " + other + "'s");
            }
        }
    }

    /** Metrics without a token are for loopback only (docs/operations.md). */
    private void metrics(ParleyConfig config) {
        if (!config.option(MetricsModule.ENABLED) || config.option(MetricsModule.TOKEN) != null) {
            return;
        }
        boolean publicListener = config.web().https().enabled() && !isLoopback(config.web().https().address())
                || config.http().enabled() && !isLoopback(config.http().address());
        if (publicListener) {
            warning("metrics.token: the metrics are served without a token on a listener not bound to loopback; "
                    + "anyone who reaches it can read them");
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void problem(String text) {
        findings.add(new Finding(true, text));
    }

    private void warning(String text) {
        findings.add(new Finding(false, text));
    }
}
