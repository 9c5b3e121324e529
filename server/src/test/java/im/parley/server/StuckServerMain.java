package im.parley.server;

import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A server run as {@code parley run} runs one (same shutdown hook), which then gets stuck, for
 * {@link ShutdownTest}: {@code event-loop} blocks one of its event loops in a call that never
 * returns and ignores interrupts, as a handler stuck on a lock or in a loop would;
 * {@code shutdown-step} adds a shutdown hook that never ends, as a database that never finishes
 * closing would; {@code sessions} gets nothing stuck but has clients logged in when the JVM is
 * asked to stop, whose logouts the shutdown records in the database. Prints {@code READY} once stuck.
 *
 * <p>Arguments: data directory, {@code shutdown.timeout} in milliseconds, what gets stuck.
 */
public final class StuckServerMain {

    private StuckServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Duration timeout = Duration.ofMillis(Long.parseLong(args[1]));
        ParleyConfig config = ParleyConfig.defaults()
                .withDataDir(Path.of(args[0]))
                .withC2s(ListenerConfig.on("127.0.0.1", 0))
                .withDirectTls(ListenerConfig.off("127.0.0.1", 0))
                .withHttp(ListenerConfig.off("127.0.0.1", 0))
                .withShutdownTimeout(timeout);
        if (args[2].equals("sessions")) {
            config = config.withTls(config.tls().withStarttlsRequired(false));
        }
        ParleyServer server = new ParleyServer(config);
        ShutdownHook.install(server, config.shutdownTimeout());
        server.start();
        switch (args[2]) {
            case "event-loop" -> {
                CountDownLatch stuck = new CountDownLatch(1);
                server.eventLoops().next().execute(() -> {
                    stuck.countDown();
                    blockForever();
                });
                stuck.await();
            }
            case "shutdown-step" -> Runtime.getRuntime().addShutdownHook(new Thread(StuckServerMain::blockForever));
            case "sessions" -> {
                for (int i = 1; i <= 3; i++) {
                    String user = "user" + i + "@" + config.domains().get(0);
                    server.accounts().create(org.jxmpp.jid.impl.JidCreate.entityBareFrom(user), "pw");
                    new im.parley.server.testing.SocketClient("127.0.0.1", server.c2sPort()).bind(user, "pw", "r");
                }
            }
            default -> throw new IllegalArgumentException("nothing to get stuck: " + args[2]);
        }
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void blockForever() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // Stuck code does not listen.
            }
        }
    }
}
