package im.parley.server.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test starts on a port it names (cluster members list each other's).
 * Taken below the kernel's ephemeral range (Linux: 32768–60999): a port that the kernel handed
 * out for a moment ({@code new ServerSocket(0)}) can be handed again to an outgoing connection
 * before the server binds it, and Hazelcast's members open many (ClusteredRouteTableTest failed
 * once with "Port [38853] is already in use").
 */
public final class LoopbackPorts {

    /**
     * The ports already handed out in this test JVM, by address: a port is free when it is
     * chosen but taken only when its server binds, so a node asking for its four ports could be
     * given one twice (its second listener then failed with "Address already in use" in CI).
     */
    private static final Set<InetSocketAddress> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    /** A port nothing listens on at {@code address}, between 20000 and 31999, never one handed out before. */
    public static int unused(InetAddress address) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(new InetSocketAddress(address, port))) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(address, port), 1);
                return port;
            } catch (BindException taken) {
                // try another
            }
        }
        throw new IOException("no unused port below the ephemeral range on " + address);
    }
}
