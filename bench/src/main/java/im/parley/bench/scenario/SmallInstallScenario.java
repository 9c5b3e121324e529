package im.parley.bench.scenario;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import im.parley.bench.metrics.ProcessWindow;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small install, issue 19: starts the server the way its user does (the command given, e.g.
 * {@code bin/parley run}), then measures the time from the exec to an accepting c2s port, the
 * time to the first login answered (SASL success and resource binding, RFC 6120 §6 and §7), the
 * server's RSS when idle after the start, and its RSS after {@code minutes} with a handful of
 * users logged in chatting. The server is stopped (SIGTERM) at the end.
 *
 * <p>With {@code users = 0} no login is tried: the figures of a first start on an empty data
 * directory, where no account exists yet.
 */
public final class SmallInstallScenario implements Scenario {
    private static final double LOGIN_RATE = 50;

    private final ServerLaunch launch;
    private final int users;
    private final double settleSeconds;
    private final double minutes;
    private final double messageSeconds;
    private final boolean startTls;

    /**
     * @param launch         how the server is started and where its c2s port is
     * @param users          users that log in and chat (0: only the start and idle figures)
     * @param settleSeconds  rest after the first login before the idle RSS is read
     * @param minutes        how long the users chat
     * @param messageSeconds each user sends one message to the next user this often
     * @param startTls       negotiate STARTTLS before SASL (RFC 6120 §5)
     */
    public SmallInstallScenario(ServerLaunch launch, int users, double settleSeconds, double minutes,
                                double messageSeconds, boolean startTls) {
        this.launch = launch;
        this.users = users;
        this.settleSeconds = settleSeconds;
        this.minutes = minutes;
        this.messageSeconds = messageSeconds;
        this.startTls = startTls;
    }

    @Override
    public String name() {
        return users == 0 ? "small_first_start" : "small_install";
    }

    @Override
    public ScenarioResult run(BenchContext context) throws InterruptedException {
        ClientOptions options = context.clients().withStartTls(startTls);
        ScenarioResult result = new ScenarioResult(name(), context.serverLabel());
        // The generator's own classes and TLS context are ready before the clock starts.
        try (LoadClients load = new LoadClients(options, context.threads());
             ServerLaunch.Running server = launch.start()) {
            long portNanos = server.awaitPort();
            result.put("port_ms", ms(portNanos));
            try (Measurement measurement = new Measurement(server.pid())) {
                var started = measurement.mark();
                result.put("rss_port_mb", mb(started));
                if (users > 0) {
                    long loginNanos = firstLogin(load, options);
                    result.put("first_login_ms", ms(loginNanos - server.execNanos()))
                            .put("login_after_port_ms", ms(loginNanos - server.execNanos() - portNanos));
                }
                var ready = measurement.mark();
                result.put("cpu_s_to_ready", ready.server() == null ? null : round(ready.server().cpuSeconds()));
                Pacer.await(() -> !server.alive(), Pacer.secondsFromNow(settleSeconds));
                var idle = measurement.mark();
                result.put("rss_idle_mb", mb(idle));
                if (users > 0) {
                    chat(load, options, measurement, idle, result);
                }
                result.put("server_alive", server.alive());
            }
        }
        return result;
    }

    private void chat(LoadClients load, ClientOptions options, Measurement measurement, Measurement.Mark from,
                      ScenarioResult result) {
        AtomicLong received = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        LoginWave wave = new LoginWave();
        wave.traffic(new ClientEvents() {
            @Override
            public void messageReceived(XmppClient client, long latencyNanos) {
                received.incrementAndGet();
            }

            @Override
            public void messageError(XmppClient client, org.dom4j.Element message) {
                errors.incrementAndGet();
            }
        });
        wave.run(load, options.withPresence(options.rosterGet(), true, false), users, LOGIN_RATE);
        List<XmppClient> online = wave.readyClients();
        AtomicLong sent = new AtomicLong();
        AtomicLong rounds = new AtomicLong();
        long periodMs = Math.max(1, Math.round(messageSeconds * 1000));
        long allRounds = (long) (minutes * 60 * 1000 / periodMs);
        var ticker = load.timers().scheduleAtFixedRate(() -> {
            if (rounds.get() < allRounds) {
                for (int i = 0; i < online.size(); i++) {
                    online.get(i).sendChat(options.bareJid(online.get((i + 1) % online.size()).user()), "hello");
                    sent.incrementAndGet();
                }
                rounds.incrementAndGet();
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        // Every round is counted as sent before the wait for its messages begins.
        Pacer.await(() -> rounds.get() >= allRounds, Pacer.secondsFromNow(minutes * 60 + 30));
        ticker.cancel(false);
        Pacer.await(() -> received.get() + errors.get() >= sent.get(), Pacer.secondsFromNow(10));
        var to = measurement.mark();
        ProcessWindow window = measurement.server(from, to);
        result.put("users", users).put("sessions", online.size()).put("minutes", minutes)
                .put("messages_sent", sent.get()).put("messages_received", received.get())
                .put("errors", wave.errors() + errors.get() + (sent.get() - received.get()))
                .put("rss_chat_end_mb", mb(to))
                .put("rss_chat_peak_mb", window == null ? null : round(window.rssPeakKb() / 1024.0))
                .put("cpu_s_chat", window == null ? null : round(window.cpuSeconds()));
        wave.closeAll();
    }

    /** Logs user 1 in as soon as the port accepts; returns the {@code nanoTime} of its login. */
    private static long firstLogin(LoadClients load, ClientOptions options) throws InterruptedException {
        var done = new java.util.concurrent.CompletableFuture<Long>();
        XmppClient client = load.connect(1, options.withPresence(false, false, false), new ClientEvents() {
            @Override
            public void loggedIn(XmppClient c, long loginNanos) {
                done.complete(System.nanoTime());
            }

            @Override
            public void failed(XmppClient c, String reason) {
                done.completeExceptionally(new IllegalStateException("first login failed: " + reason));
            }
        });
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no first login within 60 s", e);
        } finally {
            client.close();
        }
    }

    private static double mb(Measurement.Mark mark) {
        return mark.server() == null ? 0 : round(mark.server().rssKb() / 1024.0);
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
