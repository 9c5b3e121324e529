package im.parley.bench;

import im.parley.bench.scenario.ChatScenario;
import im.parley.bench.scenario.IdleSessionsScenario;
import im.parley.bench.scenario.LoginStormScenario;
import im.parley.bench.scenario.PresenceScenario;
import im.parley.bench.scenario.Scenario;
import im.parley.bench.scenario.ScenarioResult;
import im.parley.bench.users.ParleyBulkUsers;
import im.parley.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The load generator's command line: one subcommand per scenario of issue 7, each printing one
 * summary line and writing a JSON result, plus bulk user creation for Parley.
 */
@Command(name = "parley-bench", mixinStandardHelpOptions = true,
        subcommands = {BenchMain.Login.class, BenchMain.Idle.class, BenchMain.Chat.class,
                BenchMain.Presence.class, BenchMain.CreateUsers.class},
        description = "XMPP load generator: login storm, idle TLS sessions, chat, presence.")
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

        @Override
        public Integer call() throws Exception {
            return runAndReport(new ChatScenario(users, loginRate, rate, seconds, searchStep, maxRate, cleanP99), common);
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
