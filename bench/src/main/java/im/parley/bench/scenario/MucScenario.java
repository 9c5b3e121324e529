package im.parley.bench.scenario;

import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import im.parley.bench.metrics.LatencyRecorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Group chat (issue 14): {@code rooms} rooms of {@code occupants} users each on the server's
 * multi-user chat service (XEP-0045). Every room's first user creates it as an instant room
 * (§10.1.2); then the others enter (§7.2), paced, and each entry counts once its self-presence
 * (status 110, §7.2.3) came back: that gives joins/s and the join latency. Then random occupants
 * send groupchat messages (§7.4) at a fixed rate of <em>deliveries</em> per second (messages per
 * second times the room size: the room reflects each message to every occupant, the sender too).
 * Each message's id carries its send time, which the service keeps, so each delivery gives an
 * end-to-end latency.
 *
 * <p>After the nominal rate, a {@link RateSearch} finds the highest clean fan-out rate: every
 * delivery arrived, no errors, p99 below {@code cleanP99Millis}.
 */
public final class MucScenario implements Scenario {
    private static final String BODY = "x".repeat(64);
    private static final String MUC = "http://jabber.org/protocol/muc";
    private static final String MUC_USER = MUC + "#user";
    private static final double DRAIN_SECONDS = 5;
    private static final double JOIN_GRACE_SECONDS = 60;

    private final int rooms;
    private final int occupants;
    private final String service;
    private final double loginRate;
    private final double joinRate;
    private final double deliveryRate;
    private final double seconds;
    private final double searchStepSeconds;
    private final double maxSearchRate;
    private final double cleanP99Millis;

    /**
     * @param service the MUC service's domain, or null for {@code conference.<domain>}
     */
    public MucScenario(int rooms, int occupants, String service, double loginRate, double joinRate,
                       double deliveryRate, double seconds, double searchStepSeconds, double maxSearchRate,
                       double cleanP99Millis) {
        if (occupants < 2) {
            throw new IllegalArgumentException("a room needs at least 2 occupants, got " + occupants);
        }
        this.rooms = rooms;
        this.occupants = occupants;
        this.service = service;
        this.loginRate = loginRate;
        this.joinRate = joinRate;
        this.deliveryRate = deliveryRate;
        this.seconds = seconds;
        this.searchStepSeconds = searchStepSeconds;
        this.maxSearchRate = maxSearchRate;
        this.cleanP99Millis = cleanP99Millis;
    }

    @Override
    public String name() {
        return "muc" + occupants;
    }

    @Override
    public ScenarioResult run(BenchContext context) {
        var options = context.clients().withPresence(false, true, false);
        String serviceDomain = service != null ? service : "conference." + options.domain();
        int users = rooms * occupants;
        try (LoadClients load = new LoadClients(options, context.threads());
             Measurement measurement = new Measurement(context.serverPid())) {
            LoginWave wave = new LoginWave();
            RoomTraffic traffic = new RoomTraffic();
            wave.traffic(traffic);
            wave.run(load, options, users, loginRate);
            List<XmppClient> online = wave.readyClients();
            ScenarioResult result = new ScenarioResult(name(), context.serverLabel())
                    .put("rooms", rooms)
                    .put("occupants_per_room", occupants)
                    .put("users", users)
                    .put("online", online.size())
                    .put("login_errors", wave.errors());
            if (online.size() < users) {
                return result.put("errors", wave.errors() + 1).put("failure_reasons", wave.failureReasons());
            }
            List<List<XmppClient>> members = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                members.add(online.subList(r * occupants, (r + 1) * occupants));
            }
            String[] roomJids = new String[rooms];
            for (int r = 0; r < rooms; r++) {
                roomJids[r] = "bench" + r + "@" + serviceDomain;
            }
            int created = createRooms(members, roomJids, traffic);
            result.put("rooms_created", created);
            if (created < rooms) {
                return result.put("errors", wave.errors() + rooms - created + traffic.errors.get())
                        .put("failure_reasons", wave.failureReasons());
            }
            result.putAll(joinRest(members, roomJids, traffic, measurement));
            // Warm-up, not reported: both JVMs' JIT and the servers' caches settle first.
            step(members, roomJids, deliveryRate, Math.min(5, seconds), traffic, measurement);
            Map<String, Object> nominal = step(members, roomJids, deliveryRate, seconds, traffic, measurement);
            result.putAll(nominal);
            List<Map<String, Object>> search = searchStepSeconds <= 0 ? List.of()
                    : RateSearch.run(deliveryRate, nominal, maxSearchRate,
                            next -> step(members, roomJids, next, searchStepSeconds, traffic, measurement));
            result.put("highest_clean_delivery_rate", Math.round(RateSearch.highestClean(search, "delivery_rate")))
                    .put("clean_p99_limit_ms", cleanP99Millis)
                    .put("errors", wave.errors() + traffic.errors.get())
                    .put("search", search)
                    .put("failure_reasons", wave.failureReasons());
            wave.closeAll();
            return result;
        }
    }

    /** Each room's first user enters, which creates it, and accepts the default configuration (XEP-0045 §10.1.2). */
    private int createRooms(List<List<XmppClient>> members, String[] roomJids, RoomTraffic traffic) {
        for (int r = 0; r < rooms; r++) {
            enter(members.get(r).get(0), roomJids[r], traffic);
        }
        long deadline = Pacer.secondsFromNow(JOIN_GRACE_SECONDS);
        Pacer.await(() -> traffic.joined.get() >= rooms, deadline);
        for (int r = 0; r < rooms; r++) {
            members.get(r).get(0).send("<iq type='set' id='create-" + r + "' to='" + roomJids[r] + "'>"
                    + "<query xmlns='" + MUC + "#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
        }
        Pacer.await(() -> traffic.configured.get() >= rooms, deadline);
        return Math.min(traffic.joined.get(), traffic.configured.get());
    }

    /** The other occupants enter at {@code joinRate}; returns joins/s and the join latency. */
    private Map<String, Object> joinRest(List<List<XmppClient>> members, String[] roomJids, RoomTraffic traffic,
                                         Measurement measurement) {
        List<Runnable> joins = new ArrayList<>();
        for (int i = 1; i < occupants; i++) {
            for (int r = 0; r < rooms; r++) {
                XmppClient client = members.get(r).get(i);
                String room = roomJids[r];
                joins.add(() -> enter(client, room, traffic));
            }
        }
        traffic.beginJoins();
        var start = measurement.mark();
        long startNanos = System.nanoTime();
        int expected = rooms + joins.size();
        Pacer.run(joinRate, joins.size(), Pacer.secondsFromNow(joins.size() / joinRate + JOIN_GRACE_SECONDS),
                i -> joins.get(i).run());
        Pacer.await(() -> traffic.joined.get() >= expected, Pacer.secondsFromNow(JOIN_GRACE_SECONDS));
        long spanNanos = traffic.lastJoinNanos.get() - startNanos;
        var end = measurement.mark();
        Map<String, Object> figures = new LinkedHashMap<>();
        int joined = traffic.joined.get() - rooms;
        figures.put("joins", joined);
        figures.put("join_errors", joins.size() - joined);
        figures.put("joins_per_s", spanNanos <= 0 ? 0 : Math.round(joined / (spanNanos / 1e9)));
        figures.putAll(traffic.joinLatency.figures("join_latency"));
        measurement.figures(start, end).forEach((k, v) -> figures.put("join_" + k, v));
        return figures;
    }

    private static void enter(XmppClient client, String room, RoomTraffic traffic) {
        traffic.joinSent.put(client.user(), System.nanoTime());
        client.send("<presence to='" + room + "/u" + client.user() + "'>"
                + "<x xmlns='" + MUC + "'><history maxstanzas='0'/></x></presence>");
    }

    /** Sends at {@code rate} deliveries per second for {@code stepSeconds}, waits for stragglers. */
    private Map<String, Object> step(List<List<XmppClient>> members, String[] roomJids, double rate,
                                     double stepSeconds, RoomTraffic traffic, Measurement measurement) {
        double messageRate = rate / occupants;
        traffic.begin(cleanP99Millis);
        var start = measurement.mark();
        int total = (int) Math.min(Integer.MAX_VALUE, Math.round(messageRate * stepSeconds));
        int sent = Pacer.run(messageRate, total, Pacer.secondsFromNow(stepSeconds + 1), i -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int r = random.nextInt(rooms);
            XmppClient from = members.get(r).get(random.nextInt(occupants));
            from.send("<message type='groupchat' to='" + roomJids[r] + "' id='" + from.user() + "-" + System.nanoTime()
                    + "'><body>" + BODY + "</body></message>");
        });
        long sendEnd = System.nanoTime();
        var end = measurement.mark();
        long expected = (long) sent * occupants;
        Pacer.await(() -> traffic.delivered.get() >= expected, Pacer.secondsFromNow(DRAIN_SECONDS));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("delivery_rate", rate);
        figures.put("message_rate", Math.round(messageRate * 10) / 10.0);
        figures.put("sent", sent);
        figures.put("deliveries_expected", expected);
        figures.putAll(traffic.figures(expected, "achieved_delivery_rate", traffic.delivered.get(), sendEnd,
                measurement.figures(start, end), cleanP99Millis));
        return figures;
    }

    /**
     * What the occupants hear: their own entries (self-presence, XEP-0045 §7.2.3), the owners'
     * configuration results, and the room's messages of the current step (a message sent before
     * the step began is a straggler and is not counted again).
     */
    private static final class RoomTraffic extends StepCounter {
        final AtomicInteger joined = new AtomicInteger();
        final AtomicInteger configured = new AtomicInteger();
        final AtomicLong lastJoinNanos = new AtomicLong();
        /** Each client's entry, by its user number, until its self-presence comes. */
        final Map<Integer, Long> joinSent = new ConcurrentHashMap<>();
        volatile LatencyRecorder joinLatency = new LatencyRecorder();

        void beginJoins() {
            joinLatency = new LatencyRecorder();
        }

        @Override
        public void presenceReceived(XmppClient client, Element presence) {
            if ("error".equals(presence.attributeValue("type"))) {
                errors.incrementAndGet();
                return;
            }
            Element x = presence.element(QName.get("x", MUC_USER));
            if (x == null || !isSelfPresence(x)) {
                return;
            }
            Long sent = joinSent.remove(client.user());
            if (sent == null) {
                return;   // a later self-presence (a status change), not an entry
            }
            joinLatency.recordNanos(System.nanoTime() - sent);
            joined.incrementAndGet();
            lastJoinNanos.accumulateAndGet(System.nanoTime(), Math::max);
        }

        private static boolean isSelfPresence(Element x) {
            for (Element status : x.elements("status")) {
                if ("110".equals(status.attributeValue("code"))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void iqAnswered(XmppClient client, Element iq) {
            if (!iq.attributeValue("id", "").startsWith("create-")) {
                return;
            }
            if ("result".equals(iq.attributeValue("type"))) {
                configured.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
        }
    }
}
