package im.parley.bench.scenario;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;

/**
 * Builds rosters over the protocol, so a scenario runs unchanged on every server: user i asks its
 * {@code contacts} neighbours i±1…i±contacts/2 (modulo the user count) for a subscription, and
 * every client approves each request it receives (RFC 6121 §3.1), which makes every pair mutual.
 * Then everybody logs out.
 */
public final class RosterBuilder {
    private final int users;
    private final int contacts;
    private final double loginRate;
    private final double timeoutSeconds;

    public RosterBuilder(int users, int contacts, double loginRate, double timeoutSeconds) {
        if (contacts % 2 != 0 || contacts >= users) {
            throw new IllegalArgumentException("contacts must be even and below the user count");
        }
        this.users = users;
        this.contacts = contacts;
        this.loginRate = loginRate;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Subscribes every user to its neighbours and records {@code roster_setup_s} and
     * {@code roster_setup_subscribed} in {@code result}; returns the number of setup errors.
     */
    public long build(BenchContext context, ScenarioResult result) {
        // The roster get makes each session an "interested resource" (RFC 6121 §2.1.3), to which
        // servers deliver subscription requests and approvals (§3.1.3, §3.1.6).
        var options = context.clients().withPresence(true, true, true);
        try (LoadClients load = new LoadClients(options, context.threads())) {
            AtomicLong subscribed = new AtomicLong();
            LoginWave wave = new LoginWave();
            wave.traffic(new ClientEvents() {
                @Override
                public void presenceReceived(XmppClient client, Element presence) {
                    if ("subscribed".equals(presence.attributeValue("type"))) {
                        subscribed.incrementAndGet();
                    }
                }
            });
            wave.run(load, options, users, loginRate);
            List<XmppClient> online = wave.readyClients();
            long start = System.nanoTime();
            int half = contacts / 2;
            Pacer.run(Math.max(loginRate, 500), online.size(), Pacer.secondsFromNow(timeoutSeconds), i -> {
                XmppClient client = online.get(i);
                StringBuilder requests = new StringBuilder();
                for (int d = -half; d <= half; d++) {
                    if (d != 0) {
                        int contact = Math.floorMod(client.user() - 1 + d, users) + 1;
                        requests.append("<presence type='subscribe' to='")
                                .append(options.bareJid(contact)).append("'/>");
                    }
                }
                client.send(requests.toString());
            });
            long expected = (long) online.size() * contacts;
            Pacer.await(() -> subscribed.get() >= expected, Pacer.secondsFromNow(timeoutSeconds));
            result.put("roster_setup_s", Math.round((System.nanoTime() - start) / 1e8) / 10.0)
                    .put("roster_setup_subscribed", subscribed.get());
            wave.closeAll();
            // The server must see every session end before the measured login starts.
            Pacer.await(() -> false, Pacer.secondsFromNow(2));
            return wave.errors() + Math.max(0, expected - subscribed.get());
        }
    }
}
