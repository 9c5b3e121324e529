package im.parley.bench;

import im.parley.bench.scenario.ChatScenario;
import im.parley.bench.scenario.IdleSessionsScenario;
import im.parley.bench.scenario.LoginStormScenario;
import im.parley.bench.scenario.MamScenario;
import im.parley.bench.scenario.MucScenario;
import im.parley.bench.scenario.PresenceScenario;
import im.parley.bench.scenario.Scenario;
import im.parley.bench.scenario.ScenarioResult;
import im.parley.bench.scenario.ServerLaunch;
import im.parley.bench.scenario.SmallInstallScenario;
import im.parley.bench.soak.ChurnLoad;
import im.parley.bench.soak.SoakPlan;
import im.parley.bench.soak.SoakScenario;
import im.parley.bench.soak.Trend;
import im.parley.bench.soak.UserLoad;
import im.parley.bench.users.ParleyArchiveFill;
import im.parley.bench.users.ParleyBulkUsers;
import im.parley.server.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The load generator's command line: one subcommand per scenario of issue 7, each printing one
 * summary line and writing a JSON result, plus bulk user creation for Parley.
 */
@Command(name = "parley-bench", mixinStandardHelpOptions = true,
        subcommands = {BenchMain.Login.class, BenchMain.Idle.class, BenchMain.Chat.class,
                BenchMain.Presence.class, BenchMain.Mam.class, BenchMain.Muc.class, BenchMain.Soak.class,
                BenchMain.CreateUsers.class, BenchMain.FillArchive.class, BenchMain.Small.class},
        description = "XMPP load generator: login storm, idle TLS sessions, chat, presence, MAM pages, group chat, soak, "
                + "small installs.")
public final class BenchMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    /** Runs a scenario, prints its summary line, writes its JSON; exit code 0 only without errors. */
    static int runAndReport(Scenario scenario, CommonOptions common) throws InterruptedException {
        ScenarioResult result = scenario.run(common.context());
        Path json = result.writeJson(common.out);
        System.out.println(result.summaryLine());
        System.err.println("result: " + json);
        return result.errors() == 0 ? 0 : 3;
    }

    @Command(name = "login", description = "Login storm: N users log in at a target rate.")
    static final class Login implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--users", defaultValue = "2000") int users;
        @Option(names = "--rate", description = "Logins per second offered.", defaultValue = "500") double rate;
        @Option(names = "--starttls", description = "Negotiate STARTTLS before SASL.") boolean startTls;
        @Option(names = "--warmup", description = "Sessions that log in and out before the measurement.",
                defaultValue = "0") int warmup;
        @Option(names = "--settle", description = "Seconds of rest between the warm-up and the measurement.",
                defaultValue = "5") double settle;

        @Override
        public Integer call() throws Exception {
            return runAndReport(new LoginStormScenario(users, rate, startTls, warmup, warmup > 0 ? settle : 0), common);
        }
    }

    @Command(name = "idle", description = "Idle sessions: N TLS sessions held open; server RSS per session.")
    static final class Idle implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--users", defaultValue = "5000") int users;
        @Option(names = "--rate", defaultValue = "500") double rate;
        @Option(names = "--hold", description = "Seconds to hold the sessions.", defaultValue = "10") double hold;
        @Option(names = "--warmup", description = "Sessions that log in and out before the measurement.",
                defaultValue = "1000") int warmup;
        @Option(names = "--settle", description = "Seconds of rest between the warm-up and the first RSS reading.",
                defaultValue = "10") double settle;

        @Override
        public Integer call() throws Exception {
            return runAndReport(new IdleSessionsScenario(users, rate, hold, warmup, settle), common);
        }
    }

    @Command(name = "chat", description = "Chat: M users message random online users at a fixed total rate.")
    static final class Chat implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--users", defaultValue = "2000") int users;
        @Option(names = "--login-rate", defaultValue = "500") double loginRate;
        @Option(names = "--rate", description = "Messages per second offered.", defaultValue = "2000") double rate;
        @Option(names = "--seconds", defaultValue = "30") double seconds;
        @Option(names = "--search-step-seconds", description = "Seconds per rate-search step; 0: no search.",
                defaultValue = "10") double searchStep;
        @Option(names = "--max-rate", description = "Upper bound of the rate search.", defaultValue = "64000")
        double maxRate;
        @Option(names = "--clean-p99-ms", defaultValue = "50") double cleanP99;
        @Option(names = "--warmup-max-seconds", description = "Longest warm-up at the nominal rate: it ends earlier "
                + "once the server's JIT compilers are quiet (5 s steps); 5: one step.", defaultValue = "180")
        double maxWarmup;

        @Override
        public Integer call() throws Exception {
            return runAndReport(new ChatScenario(users, loginRate, rate, seconds, searchStep, maxRate, cleanP99,
                    maxWarmup), common);
        }
    }

    @Command(name = "presence", description = "Presence: users with rosters of K contacts change status.")
    static final class Presence implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--users", defaultValue = "1000") int users;
        @Option(names = "--contacts", defaultValue = "20") int contacts;
        @Option(names = "--login-rate", defaultValue = "500") double loginRate;
        @Option(names = "--status-rate", description = "Status changes per second.", defaultValue = "200")
        double statusRate;
        @Option(names = "--seconds", defaultValue = "20") double seconds;

        @Override
        public Integer call() throws Exception {
            return runAndReport(new PresenceScenario(users, contacts, loginRate, statusRate, seconds), common);
        }
    }

    @Command(name = "muc", description = "Group chat (XEP-0045): R rooms of N occupants; joins/s, then groupchat "
            + "fan-out at a fixed rate of deliveries per second, with a search for the highest clean rate (issue 14).")
    static final class Muc implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--rooms", defaultValue = "20") int rooms;
        @Option(names = "--occupants", description = "Occupants per room.", defaultValue = "50") int occupants;
        @Option(names = "--service", description = "The MUC service's domain; default conference.<domain>.")
        String service;
        @Option(names = "--login-rate", defaultValue = "500") double loginRate;
        @Option(names = "--join-rate", description = "Room entries per second offered.", defaultValue = "500")
        double joinRate;
        @Option(names = "--rate", description = "Deliveries per second offered (messages/s times the room size).",
                defaultValue = "10000") double rate;
        @Option(names = "--seconds", defaultValue = "20") double seconds;
        @Option(names = "--search-step-seconds", description = "Seconds per rate-search step; 0: no search.",
                defaultValue = "8") double searchStep;
        @Option(names = "--max-rate", description = "Upper bound of the rate search.", defaultValue = "400000")
        double maxRate;
        @Option(names = "--clean-p99-ms", defaultValue = "20") double cleanP99;

        @Override
        public Integer call() throws Exception {
            return runAndReport(new MucScenario(rooms, occupants, service, loginRate, joinRate, rate, seconds,
                    searchStep, maxRate, cleanP99), common);
        }
    }

    @Command(name = "mam", description = "MAM pages: user 1 pages through its filled archive (fill-parley-archive); "
            + "newest page, paging back, with a contact, a time range (issue 13).")
    static final class Mam implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--queries", description = "Measured queries of each kind.", defaultValue = "500") int queries;
        @Option(names = "--warmup", description = "Queries of each kind before the measurement.", defaultValue = "100")
        int warmup;
        @Option(names = "--page", description = "Messages per page (RSM max).", defaultValue = "50") int page;
        @Option(names = "--contacts", description = "User 1 chatted with users 2..contacts+1.", defaultValue = "10")
        int contacts;

        @Override
        public Integer call() throws Exception {
            return runAndReport(new MamScenario(queries, warmup, page, contacts), common);
        }
    }

    @Command(name = "soak", description = "Soak: mixed load and unauthenticated churn for a long while; "
            + "does the server's heap after GC and RSS stay flat? (issue 17)")
    static final class Soak implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--users", defaultValue = "2000") int users;
        @Option(names = "--online", description = "Sessions logged in at any time.", defaultValue = "300") int online;
        @Option(names = "--session-seconds", description = "Mean life of a session.", defaultValue = "60")
        double sessionSeconds;
        @Option(names = "--login-rate", description = "Most logins started per second.", defaultValue = "50")
        double loginRate;
        @Option(names = "--chat-rate", description = "Messages per second.", defaultValue = "100") double chatRate;
        @Option(names = "--offline-share", description = "Share of messages to users not logged in.",
                defaultValue = "0.2") double offlineShare;
        @Option(names = "--presence-rate", description = "Status changes per second.", defaultValue = "10")
        double presenceRate;
        @Option(names = "--iq-rate", description = "Roster and vCard IQs per second.", defaultValue = "20")
        double iqRate;
        @Option(names = "--sm-share", description = "Share of sessions with stream management (XEP-0198).",
                defaultValue = "0.5") double smShare;
        @Option(names = "--resume-seconds", description = "Mean wait of a dropped session before it resumes.",
                defaultValue = "3") double resumeSeconds;
        @Option(names = "--contacts", description = "Mutual contacts per user, subscribed first (0: none).",
                defaultValue = "8") int contacts;
        @Option(names = "--churn-rate", description = "Unauthenticated connections per second.", defaultValue = "30")
        double churnRate;
        @Option(names = "--churn-sources", description = "Source addresses of the churn, from 127.2.0.1.",
                defaultValue = "65024") int churnSources;
        @Option(names = "--direct-tls-port", description = "The server's direct TLS port (0: none).",
                defaultValue = "0") int directTlsPort;
        @Option(names = "--http-port", description = "The server's HTTP port (0: no HTTP churn).", defaultValue = "0")
        int httpPort;
        @Option(names = "--churn-kinds", split = ",", description = "Only these kinds of churn (stream_vanish, "
                + "half_starttls, half_direct_tls, wrong_password, garbage, oversized, bosh_abandoned, http_half_sent, "
                + "http_stalled, websocket_abandoned); default: all.") java.util.Set<String> churnKinds = java.util.Set.of();
        @Option(names = "--answer-seconds", description = "How long a churn probe waits for its answer.",
                defaultValue = "15") double answerSeconds;
        @Option(names = "--http-stall-seconds", description = "How long a stalled HTTP request waits for its 408.",
                defaultValue = "45") double httpStallSeconds;
        @Option(names = "--warmup-seconds", defaultValue = "300") double warmupSeconds;
        @Option(names = "--seconds", description = "The measured part, after the warm-up.", defaultValue = "1800")
        double seconds;
        @Option(names = "--sample-seconds", defaultValue = "5") double sampleSeconds;
        @Option(names = "--heap-growth-pct", description = "Flat: last third's median heap at most this much above "
                + "the first third's.", defaultValue = "5") double heapGrowth;
        @Option(names = "--heap-slope-mb-per-h", defaultValue = "10") double heapSlope;
        @Option(names = "--rss-growth-pct", defaultValue = "5") double rssGrowth;
        @Option(names = "--rss-slope-mb-per-h", defaultValue = "20") double rssSlope;

        @Override
        public Integer call() throws Exception {
            UserLoad load = new UserLoad(users, online, sessionSeconds, loginRate, chatRate, offlineShare,
                    presenceRate, iqRate, smShare, resumeSeconds, contacts);
            ChurnLoad churn = new ChurnLoad(churnRate, churnSources, directTlsPort, httpPort, answerSeconds,
                    httpStallSeconds, churnKinds);
            SoakPlan plan = new SoakPlan(warmupSeconds, seconds, sampleSeconds,
                    new Trend.Limits(heapGrowth, heapSlope), new Trend.Limits(rssGrowth, rssSlope));
            return runAndReport(new SoakScenario(load, churn, plan), common);
        }
    }

    @Command(name = "small", description = "Small install (issue 19): starts the server with the command after "
            + "'--', times the exec to an accepting c2s port and to the first login, reads its RSS idle and after "
            + "--minutes with --users chatting, then stops it.")
    static final class Small implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--users", description = "Users that log in and chat (0: a first start, no login).",
                defaultValue = "5") int users;
        @Option(names = "--settle", description = "Seconds of rest after the first login before the idle RSS.",
                defaultValue = "10") double settle;
        @Option(names = "--minutes", description = "Minutes of chat; the one-hour figure: --minutes 60.",
                defaultValue = "1") double minutes;
        @Option(names = "--message-seconds", description = "Each user sends a message this often.",
                defaultValue = "10") double messageSeconds;
        @Option(names = "--starttls", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Negotiate STARTTLS before SASL (default).") boolean startTls;
        @Option(names = "--dir", description = "The server's working directory.", defaultValue = ".") Path dir;
        @Option(names = "--log", description = "The server's console output.", required = true) Path log;
        @Option(names = "--max-start-seconds", defaultValue = "120") double maxStart;
        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The server's command line.")
        List<String> command;

        @Override
        public Integer call() throws Exception {
            ServerLaunch launch = new ServerLaunch(command, dir, log,
                    new InetSocketAddress(common.host, common.port), maxStart);
            return runAndReport(new SmallInstallScenario(launch, users, settle, minutes, messageSeconds, startTls),
                    common);
        }
    }

    @Command(name = "fill-parley-archive", description = "Fill <prefix>1's message archive on Parley's database, "
            + "before the server starts (for mam).")
    static final class FillArchive implements Callable<Integer> {
        @Option(names = "--config", required = true) Path config;
        @Option(names = "--domain", required = true) String domain;
        @Option(names = "--prefix", defaultValue = "user") String prefix;
        @Option(names = "--messages", defaultValue = "100000") int messages;
        @Option(names = "--contacts", description = "With users 2..contacts+1 in turn.", defaultValue = "10") int contacts;
        @Option(names = "--days", description = "Spread over this many days up to an hour ago.", defaultValue = "30")
        int days;

        @Override
        public Integer call() throws Exception {
            int archived = ParleyArchiveFill.fill(ConfigLoader.load(config), domain, prefix, messages, contacts,
                    Duration.ofDays(days));
            System.out.println("archived " + archived + " of " + messages + " messages of " + prefix + "1@" + domain);
            return archived == messages ? 0 : 3;
        }
    }

    @Command(name = "create-parley-users", description = "Bulk-create <prefix>1..N on Parley's database.")
    static final class CreateUsers implements Callable<Integer> {
        @Option(names = "--config", required = true) Path config;
        @Option(names = "--domain", required = true) String domain;
        @Option(names = "--prefix", defaultValue = "user") String prefix;
        @Option(names = "--count", defaultValue = "10000") int count;
        @Option(names = "--password", defaultValue = "pw") String password;

        @Override
        public Integer call() throws Exception {
            int created = ParleyBulkUsers.create(ConfigLoader.load(config), domain, prefix, count, password);
            System.out.println("created " + created + " of " + count + " users " + prefix + "1.." + prefix + count
                    + "@" + domain);
            return 0;
        }
    }
}
