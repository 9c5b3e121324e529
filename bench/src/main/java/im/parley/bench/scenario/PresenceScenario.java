package im.parley.bench.scenario;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import im.parley.bench.metrics.LatencyRecorder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;

/**
 * Scenario 4, presence: users with rosters of {@code contacts} contacts (mutual subscriptions,
 * RFC 6121 §3) log in, get their roster, send initial presence, then change status at a fixed
 * total rate; every status change is broadcast to the contacts (§4.4.2).
 *
 * <p>The rosters are built over the protocol first ({@link RosterBuilder}), so the scenario
 * runs unchanged on every server; the measured part starts with a fresh login.
 */
public final class PresenceScenario implements Scenario {
    private static final double SETUP_TIMEOUT_SECONDS = 120;
    private static final double DRAIN_SECONDS = 5;

    private final int users;
    private final int contacts;
    private final double loginRate;
    private final double statusRate;
    private final double seconds;
    private final RosterBuilder rosters;

    public PresenceScenario(int users, int contacts, double loginRate, double statusRate, double seconds) {
        this.rosters = new RosterBuilder(users, contacts, loginRate, SETUP_TIMEOUT_SECONDS);
        this.users = users;
        this.contacts = contacts;
        this.loginRate = loginRate;
        this.statusRate = statusRate;
        this.seconds = seconds;
    }

    @Override
    public String name() {
        return "presence";
    }

    @Override
    public ScenarioResult run(BenchContext context) {
        ScenarioResult result = new ScenarioResult(name(), context.serverLabel())
                .put("users", users).put("contacts", contacts);
        long setupErrors = rosters.build(context, result);
        var options = context.clients().withPresence(true, true, true);
        try (LoadClients load = new LoadClients(options, context.threads());
             Measurement measurement = new Measurement(context.serverPid())) {
            PresenceCounter counter = new PresenceCounter();
            LoginWave wave = new LoginWave();
            wave.traffic(counter);
            var loginStart = measurement.mark();
            wave.run(load, options, users, loginRate);
            Pacer.await(() -> false, Pacer.secondsFromNow(1));
            var loginEnd = measurement.mark();
            long loginPresences = counter.received.get();
            double loginSeconds = (loginEnd.generator().nanos() - loginStart.generator().nanos()) / 1e9;
            List<XmppClient> online = wave.readyClients();
            result.put("online", online.size())
                    .put("login_presence_received", loginPresences)
                    .put("login_presence_per_s", Math.round(loginPresences / loginSeconds));

            counter.begin();
            var start = measurement.mark();
            int total = (int) Math.round(statusRate * seconds);
            int sent = online.isEmpty() ? 0 : Pacer.run(statusRate, total, Pacer.secondsFromNow(seconds + 1), i -> {
                XmppClient client = online.get(ThreadLocalRandom.current().nextInt(online.size()));
                client.send("<presence><show>" + (i % 2 == 0 ? "away" : "chat") + "</show><status>t-"
                        + System.nanoTime() + "</status></presence>");
            });
            long sendSeconds = System.nanoTime() - counter.startNanos;
            var end = measurement.mark();
            long expected = (long) sent * contacts;
            Pacer.await(() -> counter.statusReceived.get() >= expected, Pacer.secondsFromNow(DRAIN_SECONDS));
            long delivered = counter.statusReceived.get();
            result.put("status_rate", statusRate)
                    .put("status_changes_sent", sent)
                    .put("presence_expected", expected)
                    .put("presence_delivered", delivered)
                    .put("delivered_ratio", expected == 0 ? 0 : Math.round(10000.0 * delivered / expected) / 10000.0)
                    .put("presence_delivered_per_s", Math.round(delivered / (sendSeconds / 1e9)))
                    .putAll(counter.latency.figures("latency"))
                    .put("errors", setupErrors + wave.errors() + Math.max(0, expected - delivered))
                    .putAll(measurement.figures(start, end))
                    .put("failure_reasons", wave.failureReasons());
            wave.closeAll();
            return result;
        }
    }

    /** Counts presence broadcasts; status changes of the measured phase carry their send time. */
    private static final class PresenceCounter implements ClientEvents {
        final AtomicLong received = new AtomicLong();
        final AtomicLong statusReceived = new AtomicLong();
        final LatencyRecorder latency = new LatencyRecorder();
        volatile long startNanos = Long.MAX_VALUE;

        void begin() {
            startNanos = System.nanoTime();
        }

        @Override
        public void presenceReceived(XmppClient client, Element presence) {
            String from = presence.attributeValue("from", "");
            // Servers also reflect a user's presence to its own resources (RFC 6121 §4.2.2).
            if (from.startsWith(client.options().bareJid(client.user()))) {
                return;
            }
            received.incrementAndGet();
            String status = presence.elementText("status");
            if (status != null && status.startsWith("t-")) {
                try {
                    long sentAt = Long.parseLong(status.substring(2));
                    if (sentAt - startNanos >= 0) {
                        statusReceived.incrementAndGet();
                        latency.recordNanos(System.nanoTime() - sentAt);
                    }
                } catch (NumberFormatException e) {
                    // another client's status text: not ours to time
                }
            }
        }
    }
}
