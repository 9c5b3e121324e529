package im.parley.conformance.bosh;

import im.parley.conformance.PinnedTrust;
import im.parley.conformance.XmppClient;
import im.parley.server.ParleyServer;
import im.parley.server.config.HttpConfig;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A benchmark, not a test: run it by hand to see what BOSH costs on this machine.
 *
 * <pre>
 * mvn -q -o -pl conformance-tests -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
 * java -cp "conformance-tests/target/test-classes:$(cat conformance-tests/target/bench.classpath)" \
 *     im.parley.conformance.bosh.BoshBenchmark [messages] [sessions] [threads]
 * </pre>
 *
 * (or run {@code main} from an IDE). It prints (1) the latency from a message sent by a TCP
 * client to its arrival on a held BOSH request, as percentiles, and (2) BOSH sessions per
 * second: creation alone, and full logins (create, SASL PLAIN, restart, bind, terminate).
 */
public final class BoshBenchmark {

    private BoshBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path dataDir = Files.createTempDirectory("parley-bosh-bench-");
        ParleyConfig config = ParleyConfig.defaults()
                .withDomains(List.of(HttpParley.DOMAIN))
                .withDataDir(dataDir)
                .withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.off("127.0.0.1", 0))
                .withHttp(ListenerConfig.on("127.0.0.1", 0))
                .withWeb(HttpConfig.defaults().withConsiderSecure(true)
                        .withBosh(HttpConfig.defaults().bosh().withMaxSessions(1_000_000)));
        try (ParleyServer server = new ParleyServer(config)) {
            server.start();
            String url = "http://127.0.0.1:" + server.httpPort() + "/http-bind";
            latency(server, url, messages);
            sessionRate(server, url, sessions, threads);
        } finally {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** TCP client's message → response of the held BOSH request, measured at the client side. */
    private static void latency(ParleyServer server, String url, int messages) throws Exception {
        EntityBareJid receiver = account(server, "receiver");
        EntityBareJid sender = account(server, "sender");
        RawBoshClient bosh = new RawBoshClient(url);
        EntityFullJid boshJid = JidCreate.entityFullFrom(bosh.login(receiver, HttpParley.PASSWORD));
        try (XmppClient tcp = XmppClient.connect(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(HttpParley.DOMAIN)
                .setHostAddress(InetAddress.getByName("127.0.0.1"))
                .setPort(server.c2sPort())
                .setUsernameAndPassword(sender.getLocalpart().toString(), HttpParley.PASSWORD)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(PinnedTrust.trustManager(server.certificate(HttpParley.DOMAIN)))
                .build())) {
            // Let login's presence traffic drain, then keep exactly one request held.
            RawBoshClient.await(bosh.send(""));
            long[] nanos = new long[messages];
            int warmup = Math.min(200, messages / 10);
            for (int i = -warmup; i < messages; i++) {
                CompletableFuture<Element> held = bosh.send("");
                Thread.sleep(2);  // the request reaches the server and is held before the message leaves
                String body = "m" + i;
                long start = System.nanoTime();
                tcp.sendsChat(boshJid, body);
                Element response = RawBoshClient.await(held);
                long elapsed = System.nanoTime() - start;
                while (!containsBody(response, body)) {
                    response = RawBoshClient.await(bosh.send(""));
                    elapsed = System.nanoTime() - start;
                }
                if (i >= 0) {
                    nanos[i] = elapsed;
                }
            }
            Arrays.sort(nanos);
            System.out.printf("TCP message -> held BOSH request: %d messages, latency p50 %.2f ms, p90 %.2f ms, "
                            + "p99 %.2f ms, max %.2f ms%n", messages, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99),
                    nanos[messages - 1] / 1e6);
        }
    }

    /** Sessions per second with {@code threads} clients at once. */
    private static void sessionRate(ParleyServer server, String url, int sessions, int threads) throws Exception {
        EntityBareJid account = account(server, "many");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger created = new AtomicInteger();
            long start = System.nanoTime();
            List<CompletableFuture<Void>> jobs = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                jobs.add(CompletableFuture.runAsync(() -> {
                    RawBoshClient client = new RawBoshClient(url);
                    if (client.create(10, 1).attributeValue("sid") != null) {
                        created.incrementAndGet();
                    }
                    terminate(client);
                }, pool));
            }
            CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BOSH session creation: %d sessions in %.2f s = %.0f sessions/s (%d threads)%n",
                    created.get(), seconds, created.get() / seconds, threads);

            int logins = Math.max(1, sessions / 4);
            AtomicInteger loggedIn = new AtomicInteger();
            start = System.nanoTime();
            jobs.clear();
            for (int i = 0; i < logins; i++) {
                jobs.add(CompletableFuture.runAsync(() -> {
                    RawBoshClient client = new RawBoshClient(url);
                    client.login(account, HttpParley.PASSWORD);
                    loggedIn.incrementAndGet();
                    terminate(client);
                }, pool));
            }
            CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).join();
            seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BOSH full login (create, PLAIN, restart, bind, terminate): %d in %.2f s = %.0f "
                    + "sessions/s (%d threads)%n", loggedIn.get(), seconds, loggedIn.get() / seconds, threads);
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void terminate(RawBoshClient client) {
        RawBoshClient.await(client.post(String.format("<body rid='%d' sid='%s' type='terminate' xmlns='%s'/>",
                client.nextRid(), client.sid(), RawBoshClient.HTTPBIND)));
    }

    private static boolean containsBody(Element response, String body) {
        return response.elements("message").stream().anyMatch(m -> body.equals(m.elementText("body")));
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))] / 1e6;
    }

    private static EntityBareJid account(ParleyServer server, String name) throws Exception {
        EntityBareJid jid = JidCreate.entityBareFrom(name + "@" + HttpParley.DOMAIN);
        server.accounts().create(jid, HttpParley.PASSWORD);
        return jid;
    }
}
