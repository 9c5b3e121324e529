package im.parley.server.federation;

import im.parley.core.net.ByteRate;
import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.SocketClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Prints chat messages per second over one s2s link: Parley to Parley, and Parley to and from
 * Prosody 0.12. A benchmark, not a test: nothing is asserted and nothing in the build runs it.
 * From the repository root, after {@code mvn -q -B -o -pl server -am test-compile}:
 * <pre>
 * mvn -q -B -o -pl server dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp server/target/test-classes:server/target/classes:core/target/classes:\
 *   s2s-federation/target/classes:$(cat /tmp/cp.txt) im.parley.server.federation.S2sLinkBenchmark [messages]
 * </pre>
 * Needs root (it edits /etc/hosts), Debian's prosody and python3-slixmpp. Loopback addresses
 * 127.0.0.45 to 127.0.0.48; Prosody's s2s on 5269 of its own address.
 */
public final class S2sLinkBenchmark {

    private static final int WARM_UP = 1_000;

    private S2sLinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("parley-s2s-bench");
        parleyToParley(dir, messages);
        parleyAndProsody(dir, messages);
        System.exit(0);
    }

    /**
     * Without the read rates (limits.c2s_read_rate, limits.s2s_read_rate): the link's throughput is
     * measured, not the policy, which would hold the sending client to about 60 messages a second.
     */
    private static ParleyConfig unthrottled(ParleyConfig config) {
        return config.withLimits(config.limits().withInput(
                config.limits().input().withC2sRead(ByteRate.UNLIMITED).withS2sRead(ByteRate.UNLIMITED)));
    }

    private static void parleyToParley(Path dir, int messages) throws Exception {
        String ipA = "127.0.0.45";
        String ipB = "127.0.0.46";
        int portA = FederatedServer.freePort(ipA);
        int portB = FederatedServer.freePort(ipB);
        try (FederatedServer a = new FederatedServer(unthrottled(FederatedServer.config("bench-a.test", ipA, portA,
                dir.resolve("a"), Map.of(), f -> f.withStaticRoutes(Map.of("bench-b.test", ipB + ":" + portB)))), ipA);
             FederatedServer b = new FederatedServer(unthrottled(FederatedServer.config("bench-b.test", ipB, portB,
                     dir.resolve("b"), Map.of(), f -> f.withStaticRoutes(Map.of("bench-a.test", ipA + ":" + portA)))),
                     ipB)) {
            a.user("alice@bench-a.test");
            b.user("bob@bench-b.test");
            SocketClient alice = a.login("alice@bench-a.test", "bench");
            SocketClient bob = b.login("bob@bench-b.test", "bench");
            parleyToClient(alice, "bob@bench-b.test/bench", WARM_UP, () -> receive(bob, WARM_UP));
            long nanos = parleyToClient(alice, "bob@bench-b.test/bench", messages, () -> receive(bob, messages));
            report("Parley -> Parley", messages, nanos);
        }
    }

    private static void parleyAndProsody(Path dir, int messages) throws Exception {
        String parleyIp = "127.0.0.47";
        String prosodyIp = "127.0.0.48";
        String parleyDomain = "bench-parley.test";
        String prosodyDomain = "bench-prosody.test";
        // Per-message logging would measure Prosody's log writer.
        PeerScripts scripts = new PeerScripts(dir).with("PROSODY_LOGLEVEL", "warn");
        scripts.run("add-hosts-entry.sh", parleyIp, parleyDomain);
        scripts.run("start-prosody.sh", prosodyDomain, prosodyIp);
        try (FederatedServer parley = new FederatedServer(unthrottled(FederatedServer.config(parleyDomain, parleyIp,
                5269, dir.resolve("parley"), Map.of(), f -> f.withStaticRoutes(Map.of(prosodyDomain, prosodyIp + ":5269")))),
                parleyIp)) {
            parley.user("alice@" + parleyDomain);
            scripts.run("prosody-adduser.sh", prosodyDomain, "bob", "secret");
            SocketClient alice = parley.login("alice@" + parleyDomain, "bench");
            try (SlixmppClient bob = new SlixmppClient(scripts, "bob@" + prosodyDomain, "secret", prosodyIp, 5222)) {
                String bobJid = bob.jid();
                bob.expect(WARM_UP);
                parleyToClient(alice, bobJid, WARM_UP, bob::awaitExpected);
                bob.expect(messages);
                report("Parley -> Prosody", messages, parleyToClient(alice, bobJid, messages, bob::awaitExpected));

                long start = System.nanoTime();
                bob.burst("alice@" + parleyDomain + "/bench", messages);
                receive(alice, messages);
                report("Prosody -> Parley", messages, System.nanoTime() - start);
            }
        } finally {
            scripts.run("stop-prosody.sh", prosodyDomain);
        }
    }

    /** Sends {@code count} messages and waits for {@code received}; returns the elapsed nanoseconds. */
    private static long parleyToClient(SocketClient sender, String to, int count, Runnable received) {
        long start = System.nanoTime();
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < count; i++) {
            batch.append("<message type='chat' to='").append(to).append("'><body>bench ").append(i)
                    .append("</body></message>");
            if (batch.length() > 32_768) {
                sender.send(batch.toString());
                batch.setLength(0);
            }
        }
        sender.send(batch.toString());
        received.run();
        return System.nanoTime() - start;
    }

    private static void receive(SocketClient client, int count) {
        for (int i = 0; i < count; i++) {
            client.nextMessage();
        }
        client.skipped().clear();
    }

    private static void report(String link, int messages, long nanos) {
        System.out.printf("%-18s %,8d messages in %6.2f s: %,10.0f messages/s%n", link, messages, nanos / 1e9,
                messages / (nanos / 1e9));
    }
}
