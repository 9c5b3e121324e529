package im.parley.bench.scenario;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import im.parley.bench.metrics.LatencyRecorder;
import im.parley.bench.metrics.ReasonCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;

/**
 * Logs users in at a target rate and keeps their sessions; forwards traffic events to the
 * scenario's {@link #traffic} listener. Failures are counted by reason.
 */
final class LoginWave implements ClientEvents {
    private static final double LOGIN_GRACE_SECONDS = 30;

    private final LatencyRecorder loginLatency = new LatencyRecorder();
    private final AtomicInteger loggedIn = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failedBeforeReady = new AtomicInteger();
    private final AtomicInteger failedAfterReady = new AtomicInteger();
    private final AtomicLong lastLoginNanos = new AtomicLong();
    private final ReasonCounts failureReasons = new ReasonCounts(50);
    private final List<XmppClient> clients = new ArrayList<>();
    private volatile ClientEvents traffic = new ClientEvents() { };
    private long startNanos;
    private int started;

    void traffic(ClientEvents listener) {
        this.traffic = listener;
    }

    /**
     * Connects users {@code 1..count} at {@code rate} per second and waits until each is ready or
     * failed, at most {@code count / rate + 30 s}.
     */
    LoginWave run(LoadClients load, ClientOptions options, int count, double rate) {
        startNanos = System.nanoTime();
        long deadline = Pacer.secondsFromNow(count / rate + LOGIN_GRACE_SECONDS);
        started = Pacer.run(rate, count, deadline, i -> {
            XmppClient client = load.connect(i + 1, options, this);
            synchronized (clients) {
                clients.add(client);
            }
        });
        Pacer.await(() -> ready.get() + failedBeforeReady.get() >= started, deadline);
        return this;
    }

    /** Clients that completed the login and are still connected. */
    List<XmppClient> readyClients() {
        List<XmppClient> result = new ArrayList<>();
        synchronized (clients) {
            for (XmppClient client : clients) {
                if (client.isReady()) {
                    result.add(client);
                }
            }
        }
        return result;
    }

    int started() {
        return started;
    }

    int loggedIn() {
        return loggedIn.get();
    }

    int ready() {
        return ready.get();
    }

    /** Logins that failed or did not finish in time, and sessions lost afterwards. */
    int errors() {
        return started - ready.get() + failedAfterReady.get();
    }

    /** Logins per second: completed logins over the time from the first connect to the last login. */
    double loginsPerSecond() {
        long span = lastLoginNanos.get() - startNanos;
        return span <= 0 ? 0 : loggedIn.get() / (span / 1e9);
    }

    LatencyRecorder loginLatency() {
        return loginLatency;
    }

    /** The failure reasons, for the JSON result. */
    Map<String, Long> failureReasons() {
        return failureReasons.sorted();
    }

    void closeAll() {
        synchronized (clients) {
            clients.forEach(XmppClient::close);
        }
    }

    @Override
    public void loggedIn(XmppClient client, long loginNanos) {
        loginLatency.recordNanos(loginNanos);
        loggedIn.incrementAndGet();
        lastLoginNanos.accumulateAndGet(System.nanoTime(), Math::max);
    }

    @Override
    public void ready(XmppClient client) {
        ready.incrementAndGet();
        traffic.ready(client);
    }

    @Override
    public void failed(XmppClient client, String reason) {
        if (client.wasReady()) {
            failedAfterReady.incrementAndGet();
        } else {
            failedBeforeReady.incrementAndGet();
        }
        failureReasons.add(reason);
        traffic.failed(client, reason);
    }

    @Override
    public void messageReceived(XmppClient client, long latencyNanos) {
        traffic.messageReceived(client, latencyNanos);
    }

    @Override
    public void presenceReceived(XmppClient client, Element presence) {
        traffic.presenceReceived(client, presence);
    }

    @Override
    public void iqAnswered(XmppClient client, Element iq) {
        traffic.iqAnswered(client, iq);
    }

    @Override
    public void messageError(XmppClient client, Element message) {
        traffic.messageError(client, message);
    }
}
