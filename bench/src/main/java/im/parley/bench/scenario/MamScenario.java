package im.parley.bench.scenario;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.LoadClients;
import im.parley.bench.client.XmppClient;
import im.parley.bench.metrics.LatencyRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * MAM page latency (issue 13: "a MAM page of 50 messages from an account with 100,000 archived
 * messages answers with p99 under 20 ms"). User 1, whose archive was filled before the server
 * started ({@code fill-parley-archive}), asks for pages of {@code page} messages (XEP-0313 §4,
 * paged with RSM, XEP-0059), one query at a time, four kinds in turn: the newest page
 * ({@code <before/>}, XEP-0059 §2.5), paging back from there with {@code before}, the newest page
 * with one contact ({@code with}, XEP-0313 §4.1.1) and a time range ({@code start}/{@code end}),
 * which reads forwards. A query's latency runs from sending the IQ to its result, which comes after
 * all its messages (§4.2). A page shorter than asked that the server does not mark complete is an
 * error, so an empty archive cannot pass for a fast one.
 */
public final class MamScenario implements Scenario {
    private static final String MAM = "urn:xmpp:mam:2";
    private static final String RSM = "http://jabber.org/protocol/rsm";
    /** Long: a page that takes seconds is a figure to report, not a reason to give up. */
    private static final long ANSWER_TIMEOUT_MS = 60_000;
    private static final long LOGIN_TIMEOUT_S = 60;
    /** A time range is wide enough for this many pages on average, so it rarely holds less than one. */
    private static final int RANGE_PAGES = 10;

    enum Kind { NEWEST, BACK, WITH, RANGE }

    private final int queries;
    private final int warmup;
    private final int page;
    private final int contacts;
    private final Random random = new Random(13);

    /**
     * @param queries  measured queries of each kind
     * @param warmup   queries of each kind before the measurement (JIT, caches)
     * @param page     RSM max of every query
     * @param contacts user 1's archive is with users 2 … contacts+1, as filled
     */
    public MamScenario(int queries, int warmup, int page, int contacts) {
        this.queries = queries;
        this.warmup = warmup;
        this.page = page;
        this.contacts = contacts;
    }

    @Override
    public String name() {
        return "mam_page";
    }

    @Override
    public ScenarioResult run(BenchContext context) throws InterruptedException {
        var options = context.clients().withPresence(false, false, false);
        ScenarioResult result = new ScenarioResult(name(), context.serverLabel()).put("page", page)
                .put("queries_per_kind", queries);
        Answers answers = new Answers();
        try (LoadClients load = new LoadClients(options, 1);
             Measurement measurement = new Measurement(context.serverPid())) {
            XmppClient client = load.connect(1, answers);
            if (!answers.ready.completeOnTimeout(false, LOGIN_TIMEOUT_S, TimeUnit.SECONDS).join()) {
                return result.put("errors", 1).put("failure", "user 1 could not log in");
            }
            Session session = new Session(client, answers, options.bareJid(1));
            Element metadata = session.ask("<metadata xmlns='" + MAM + "'/>").element(QName.get("metadata", MAM));
            Element start = metadata == null ? null : metadata.element(QName.get("start", MAM));
            Element end = metadata == null ? null : metadata.element(QName.get("end", MAM));
            if (start == null || end == null) {
                client.close();
                return result.put("errors", 1).put("failure", "the archive of " + options.bareJid(1) + " is empty");
            }
            Page newest = session.query(Kind.NEWEST, "", "<before/>");
            result.put("archived", newest.count());
            Instant first = Instant.parse(start.attributeValue("timestamp"));
            Instant last = Instant.parse(end.attributeValue("timestamp"));
            Duration window = Duration.between(first, last).multipliedBy((long) page * RANGE_PAGES)
                    .dividedBy(Math.max(1, newest.count()));

            Map<Kind, LatencyRecorder> latency = new EnumMap<>(Kind.class);
            LatencyRecorder all = new LatencyRecorder();
            Cursor cursor = new Cursor();
            for (int i = 0; i < warmup; i++) {
                for (Kind kind : Kind.values()) {
                    session.query(kind, filter(kind, options.domain(), first, last, window), cursor.rsm(kind));
                }
            }
            var begin = measurement.mark();
            for (int i = 0; i < queries; i++) {
                for (Kind kind : Kind.values()) {
                    Page answer = session.query(kind, filter(kind, options.domain(), first, last, window), cursor.rsm(kind));
                    cursor.after(kind, answer);
                    latency.computeIfAbsent(kind, k -> new LatencyRecorder()).recordNanos(answer.nanos());
                    all.recordNanos(answer.nanos());
                }
            }
            var finish = measurement.mark();
            client.close();
            result.put("errors", session.errors.get()).put("short_pages", session.shortPages.get())
                    .putAll(all.figures("page"));
            latency.forEach((kind, recorder) -> result.putAll(recorder.figures(kind.name().toLowerCase(Locale.ROOT))));
            return result.put("range_window_s", window.toSeconds()).putAll(measurement.figures(begin, finish));
        }
    }

    /** The data form of a query (XEP-0313 §4.1): none, one contact, or a time range. */
    private String filter(Kind kind, String domain, Instant first, Instant last, Duration window) {
        return switch (kind) {
            case NEWEST, BACK -> "";
            case WITH -> form(field("with", "user" + (2 + random.nextInt(contacts)) + "@" + domain));
            case RANGE -> {
                long room = Math.max(1, Duration.between(first, last).minus(window).toMillis());
                Instant from = first.plusMillis((long) (random.nextDouble() * room));
                yield form(field("start", from.toString()) + field("end", from.plus(window).toString()));
            }
        };
    }

    private static String form(String fields) {
        return "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>" + MAM
                + "</value></field>" + fields + "</x>";
    }

    private static String field(String var, String value) {
        return "<field var='" + var + "'><value>" + value + "</value></field>";
    }

    /** Where paging back goes next: before the oldest message seen, from the newest again once at the start. */
    private static final class Cursor {
        private String before = "";

        String rsm(Kind kind) {
            return switch (kind) {
                case NEWEST, WITH -> "<before/>";
                case BACK -> before.isEmpty() ? "<before/>" : "<before>" + before + "</before>";
                case RANGE -> "";
            };
        }

        void after(Kind kind, Page answer) {
            if (kind == Kind.BACK) {
                before = answer.complete() || answer.first() == null ? "" : answer.first();
            }
        }
    }

    /** One answered query: its latency, the RSM figures of its {@code <fin/>}, how many messages came. */
    private record Page(long nanos, int messages, int count, String first, boolean complete) {
    }

    /** Sends one query at a time and waits for its answer. */
    private final class Session {
        private final XmppClient client;
        private final Answers answers;
        private final String bareJid;
        private final AtomicInteger errors = new AtomicInteger();
        private final AtomicInteger shortPages = new AtomicInteger();
        private int next;

        Session(XmppClient client, Answers answers, String bareJid) {
            this.client = client;
            this.answers = answers;
            this.bareJid = bareJid;
        }

        Page query(Kind kind, String form, String rsmCursor) throws InterruptedException {
            String queryId = "q" + next;
            long sent = System.nanoTime();
            Element iq = ask("<query xmlns='" + MAM + "' queryid='" + queryId + "'>" + form + "<set xmlns='" + RSM
                    + "'><max>" + page + "</max>" + rsmCursor + "</set></query>", queryId);
            long nanos = System.nanoTime() - sent;
            int messages = answers.results.getAndSet(0);
            Element fin = iq.element(QName.get("fin", MAM));
            if (!"result".equals(iq.attributeValue("type")) || fin == null) {
                errors.incrementAndGet();
                return new Page(nanos, messages, 0, null, true);
            }
            Element set = fin.element(QName.get("set", RSM));
            String count = set == null ? null : set.elementText(QName.get("count", RSM));
            boolean complete = "true".equals(fin.attributeValue("complete"));
            if (messages < page && !complete) {
                shortPages.incrementAndGet();
                errors.incrementAndGet();
            }
            return new Page(nanos, messages, count == null ? 0 : Integer.parseInt(count.trim()),
                    set == null ? null : set.elementText(QName.get("first", RSM)), complete);
        }

        Element ask(String payload) throws InterruptedException {
            return ask(payload, null);
        }

        /** Sends an IQ get or set (a query is a set, XEP-0313 §4.1) and waits for its answer. */
        private Element ask(String payload, String queryId) throws InterruptedException {
            String id = "mam-" + next++;
            answers.queryId = queryId;
            client.send("<iq type='" + (queryId == null ? "get" : "set") + "' id='" + id + "' to='" + bareJid + "'>"
                    + payload + "</iq>");
            while (true) {
                Element answer = answers.iqs.poll(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                if (answer == null) {
                    throw new IllegalStateException("no answer to " + id + " within " + ANSWER_TIMEOUT_MS + " ms");
                }
                if (id.equals(answer.attributeValue("id"))) {
                    return answer;
                }
            }
        }
    }

    /** What user 1's connection hears: its login, the results of the current query, IQ answers. */
    private static final class Answers implements ClientEvents {
        final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        final BlockingQueue<Element> iqs = new LinkedBlockingQueue<>();
        final AtomicInteger results = new AtomicInteger();
        volatile String queryId;

        @Override
        public void ready(XmppClient client) {
            ready.complete(true);
        }

        @Override
        public void failed(XmppClient client, String reason) {
            ready.complete(false);
        }

        @Override
        public void messageArrived(XmppClient client, Element message) {
            Element result = message.element(QName.get("result", MAM));
            if (result != null && result.attributeValue("queryid", "").equals(queryId)) {
                results.incrementAndGet();
            }
        }

        @Override
        public void iqAnswered(XmppClient client, Element iq) {
            iqs.add(iq);
        }
    }
}
