package im.parley.server.cli;

import im.parley.server.admin.AdminClient;
import im.parley.server.admin.AdminChannelException;
import im.parley.server.admin.ServerStatus;
import im.parley.server.config.ParleyConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code parley status}: asks the server running on the configured {@code data_dir}, over its admin
 * socket, how it is. Exit codes as an LSB init script's {@code status} action (LSB 5.0 Core,
 * "Init Script Actions"): 0 running, 3 not running, 4 unknown (the socket refuses this user).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether the server runs and how it is: version, uptime, hosts, sessions by transport, "
                + "server-to-server links, memory. Exits 0 when it runs, 3 when it does not, 4 when it cannot tell.")
final class StatusCommand implements Callable<Integer> {

    /** LSB: "program is not running". */
    static final int NOT_RUNNING = 3;
    /** LSB: "program or service status is unknown". */
    static final int UNKNOWN = 4;
    private static final long MB = 1024 * 1024;

    @ParentCommand
    ParleyCommand parent;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ParleyConfig loaded = config.load(parent.config);
        PrintWriter out = spec.commandLine().getOut();
        ServerStatus status;
        try {
            Optional<AdminClient> server = AdminClient.connect(loaded.dataDir());
            if (server.isEmpty()) {
                out.println("parley is not running (nothing answers on " + AdminClient.socketFile(loaded.dataDir())
                        + ")");
                out.flush();
                return NOT_RUNNING;
            }
            status = server.get().status();
        } catch (AdminChannelException e) {
            spec.commandLine().getErr().println("parley: cannot tell: " + e.getMessage());
            return UNKNOWN;
        }
        out.println("parley " + status.version() + " is running, up " + uptime(status.uptimeSeconds()));
        out.println("hosts: " + String.join(", ", status.hosts()));
        int total = status.sessions().values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder sessions = new StringBuilder("sessions: " + total);
        status.sessions().forEach((transport, count) -> sessions.append(", ").append(transport).append(' ')
                .append(count));
        out.println(sessions);
        out.println(status.s2sIn() < 0 ? "s2s: off"
                : "s2s links: " + status.s2sIn() + " in, " + status.s2sOut() + " out");
        out.println("memory: " + status.heapUsedBytes() / MB + " MB of " + status.heapMaxBytes() / MB
                + " MB heap used");
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code 2d 3h 4m 5s}, leading zero units left out. */
    static String uptime(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        StringBuilder text = new StringBuilder();
        if (d.toDays() > 0) {
            text.append(d.toDays()).append("d ");
        }
        if (text.length() > 0 || d.toHoursPart() > 0) {
            text.append(d.toHoursPart()).append("h ");
        }
        if (text.length() > 0 || d.toMinutesPart() > 0) {
            text.append(d.toMinutesPart()).append("m ");
        }
        return text.append(d.toSecondsPart()).append('s').toString();
    }
}
