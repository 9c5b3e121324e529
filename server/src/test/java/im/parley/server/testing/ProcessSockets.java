package im.parley.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sockets a process listens on, read as {@code ss -lp} reads them (Linux): the socket inodes
 * among the process's file descriptors, looked up in its network namespace's tables under
 * {@code /proc/<pid>/net}.
 */
public final class ProcessSockets {
    private static final String TCP_LISTEN = "0A";
    /** {@code __SO_ACCEPTCON}: a Unix domain socket that accepts connections. */
    private static final String UNIX_ACCEPTING = "00010000";

    private ProcessSockets() {
    }

    /** The TCP addresses (IPv4 and IPv6) the process listens on. */
    public static Set<InetSocketAddress> listeningTcp(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        Set<InetSocketAddress> listening = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String[] row : rows(pid, table)) {
                if (TCP_LISTEN.equals(row[3]) && inodes.contains(row[9])) {
                    listening.add(address(row[1]));
                }
            }
        }
        return listening;
    }

    /** The paths of the Unix domain sockets the process accepts connections on ("" for unnamed ones). */
    public static Set<String> listeningUnix(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        Set<String> listening = new TreeSet<>();
        for (String[] row : rows(pid, "unix")) {
            if (UNIX_ACCEPTING.equals(row[3]) && inodes.contains(row[6])) {
                listening.add(row.length > 7 ? row[7] : "");
            }
        }
        return listening;
    }

    /** The local addresses of the UDP sockets the process has open. */
    public static Set<InetSocketAddress> udp(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        Set<InetSocketAddress> open = new HashSet<>();
        for (String table : List.of("udp", "udp6")) {
            for (String[] row : rows(pid, table)) {
                if (inodes.contains(row[9])) {
                    open.add(address(row[1]));
                }
            }
        }
        return open;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        return inodes;
    }

    private static List<String[]> rows(long pid, String table) throws IOException {
        Path file = Path.of("/proc", Long.toString(pid), "net", table);
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().skip(1).map(line -> line.trim().split("\\s+")).toList();
    }

    /** {@code 0100007F:14E6}: the address as the kernel stores it (32-bit words in host order, little-endian here). */
    private static InetSocketAddress address(String hex) throws IOException {
        String[] parts = hex.split(":");
        byte[] raw = HexFormat.of().parseHex(parts[0]);
        byte[] address = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = raw[word + 3 - i];
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
    }
}
