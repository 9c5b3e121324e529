package im.parley.bench.soak;

import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The unauthenticated half of a soak: connections of every {@link ProbeKind} opened at a steady
 * total rate from rotating source addresses, each checked for the answer RFC 6120, XEP-0124 or
 * RFC 9110 gives it. Kinds whose listener is not configured are left out. Ticked from the soak's
 * driver thread; the probes run on a load generator of their own.
 */
final class HostileChurn implements AutoCloseable {
    private final ChurnLoad load;
    private final ClientOptions users;
    private final int accounts;
    private final LoadClients generator;
    private final ChurnSources sources;
    private final Map<ProbeKind, ProbeTally> tallies = new EnumMap<>(ProbeKind.class);
    private final Map<ProbeKind, Rate> rates = new EnumMap<>(ProbeKind.class);

    /** {@code users}: how the soak's users log in; {@code accounts}: how many there are (wrong passwords go to them). */
    HostileChurn(ChurnLoad load, ClientOptions users, int accounts, long startNanos) {
        this.load = load;
        this.users = users;
        this.accounts = accounts;
        this.generator = new LoadClients(users, 1);
        this.sources = new ChurnSources(load.sources());
        List<ProbeKind> kinds = java.util.Arrays.stream(ProbeKind.values()).filter(this::hasListener).toList();
        int totalWeight = kinds.stream().mapToInt(ProbeKind::weight).sum();
        for (ProbeKind kind : kinds) {
            tallies.put(kind, new ProbeTally());
            rates.put(kind, new Rate(load.rate() * kind.weight() / totalWeight, startNanos));
        }
    }

    void tick(long now) {
        rates.forEach((kind, rate) -> {
            for (int n = rate.due(now); n > 0; n--) {
                start(kind);
            }
        });
    }

    /** Probes started in all. */
    long started() {
        return tallies.values().stream().mapToLong(ProbeTally::startedCount).sum();
    }

    /** Probes whose answer was not the expected one. */
    long unexpected() {
        return tallies.values().stream().mapToLong(ProbeTally::unexpectedCount).sum();
    }

    /** Per kind: started, expected, unexpected and why. */
    Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        tallies.forEach((kind, tally) -> figures.put(kind.label(), tally.figures()));
        return figures;
    }

    @Override
    public void close() {
        generator.close();
    }

    private boolean hasListener(ProbeKind kind) {
        if (!load.kinds().isEmpty() && !load.kinds().contains(kind.label())) {
            return false;
        }
        return switch (kind.listener()) {
            case C2S -> true;
            case DIRECT_TLS -> load.directTlsPort() > 0;
            case HTTP -> load.httpPort() > 0;
        };
    }

    private void start(ProbeKind kind) {
        ProbeTally tally = tallies.get(kind);
        tally.started();
        if (kind == ProbeKind.WRONG_PASSWORD) {
            startWrongPassword(tally);
            return;
        }
        String domain = users.domain();
        String host = users.server().getHostString() + ":" + load.httpPort();
        double wait = load.answerSeconds();
        ChannelHandler probe = switch (kind) {
            case STREAM_VANISH -> new VanishingStreamProbe(tally, wait, domain);
            case HALF_STARTTLS -> new HalfTlsProbe(tally, wait, domain, generator.tls(), true);
            case HALF_DIRECT_TLS -> new HalfTlsProbe(tally, wait, domain, generator.tls(), false);
            case GARBAGE -> new GarbageProbe(tally, wait, domain);
            case OVERSIZED -> new OversizedStanzaProbe(tally, wait, domain);
            case HTTP_STALLED -> new HttpProbe(tally, load.httpStallSeconds(), domain, kind, host);
            default -> new HttpProbe(tally, wait, domain, kind, host);
        };
        generator.connectRaw(target(kind), sources.next(), probe).addListener(done -> {
            if (!done.isSuccess()) {
                tally.unexpected("connect failed: " + done.cause());
            }
        });
    }

    private void startWrongPassword(ProbeTally tally) {
        ClientOptions wrong = new ClientOptions(users.server(), users.domain(), List.of(), users.userPrefix(),
                WrongPasswordProbe.WRONG_PASSWORD, users.startTls(), users.mechanism(), false, false, false);
        WrongPasswordProbe probe = new WrongPasswordProbe(tally);
        int account = 1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(accounts);
        XmppClient client = generator.connect(account, wrong, probe, null, sources.next());
        generator.timers().schedule(() -> probe.timedOut(client, load.answerSeconds()),
                (long) (load.answerSeconds() * 1000), TimeUnit.MILLISECONDS);
    }

    private InetSocketAddress target(ProbeKind kind) {
        String host = users.server().getHostString();
        return switch (kind.listener()) {
            case C2S -> users.server();
            case DIRECT_TLS -> new InetSocketAddress(host, load.directTlsPort());
            case HTTP -> new InetSocketAddress(host, load.httpPort());
        };
    }
}
