package im.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Another local user's attempt on a Unix domain socket: a client run as user nobody (65534) by
 * {@code setpriv}, compiled from source by the java launcher, that writes one line and prints
 * what comes back, or why it could not connect. Needs root.
 */
public final class ForeignUserProbe {
    private static final String SOURCE = """
            import java.net.UnixDomainSocketAddress;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;
            import java.nio.charset.StandardCharsets;

            public class Probe {
                public static void main(String[] args) {
                    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(args[0]))) {
                        channel.write(ByteBuffer.wrap((args[1] + "\\n").getBytes(StandardCharsets.UTF_8)));
                        ByteBuffer answer = ByteBuffer.allocate(4096);
                        while (channel.read(answer) >= 0) {
                        }
                        System.out.print(new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        System.out.print("refused: " + e.getMessage());
                    }
                }
            }
            """;

    private ForeignUserProbe() {
    }

    /** True where the probe can run: as root, with util-linux's setpriv. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.exists(Path.of("/usr/bin/setpriv"));
    }

    /**
     * Sends {@code line} to {@code socket} as user nobody; returns the answer or "refused: ...".
     * {@code workDir} holds the probe's source and must be reachable by that user.
     */
    public static String send(Path workDir, Path socket, String line) throws Exception {
        Path sourceDir = Files.createDirectories(workDir.resolve("probe"));
        Files.setPosixFilePermissions(sourceDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path source = Files.writeString(sourceDir.resolve("Probe.java"), SOURCE);
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                java, "-XX:-UsePerfData", source.toString(), socket.toString(), line)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
