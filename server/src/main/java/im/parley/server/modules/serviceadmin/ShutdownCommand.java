package im.parley.server.modules.serviceadmin;

import im.parley.server.admin.ServerNotices;
import im.parley.server.module.ServerControl;
import im.parley.server.modules.adhoc.AdHocCommand;
import im.parley.server.modules.adhoc.CommandException;
import im.parley.server.modules.adhoc.CommandStage;
import im.parley.server.modules.adhoc.DataForm;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;

/**
 * XEP-0133 §4.31, Shut Down Service: a form with the time to wait before the server stops (the
 * XEP's choices, 30 seconds to 5 minutes) and an announcement. The announcement goes at once, as a
 * headline (as {@code announce}, §4.23), to every session connected to this server process,
 * whatever its domain, since all of them will be cut off; when the delay has passed the server
 * stops as on SIGTERM: sessions closed with {@code system-shutdown} (RFC 6120 §4.9.3.20), what
 * their stream management held stored offline, storage closed ({@link ServerControl}). On a
 * cluster, the node that took the command stops, alone; its users reconnect to the others.
 *
 * <p>Only where the process allows it: {@code parley run} exits; a server that cannot be stopped
 * from inside does not offer the command. §4.30 (Restart Service) is not offered: restarting is
 * the service manager's (systemd's {@code Restart=}), which a process cannot ask for.
 */
final class ShutdownCommand {

    /** §4.31: the delay's choices, in seconds, with the XEP's labels. */
    static final Map<String, String> DELAYS = delays();
    /** The longest delay taken, in seconds: a submitted value need not be one of the choices. */
    static final int MAX_DELAY_SECONDS = 3600;

    private ShutdownCommand() {
    }

    static AdHocCommand create(AdminForms forms, ServerControl server, RouteTable sessions) {
        return forms.twoStage("shutdown", "Shut Down Service", ShutdownCommand::form,
                form -> shutDown(form, server, sessions));
    }

    private static Element form() {
        return DataForm.form(AdminForms.FORM_TYPE, "Shutting Down the Service",
                        "Fill out this form to shut down the service.")
                .listSingle("delay", "Time delay before shutting down", DELAYS)
                .field("announcement", "text-multi", "Announcement", false, List.of())
                .element();
    }

    private static CommandStage shutDown(Element form, ServerControl server, RouteTable sessions) {
        Duration delay = Duration.ofSeconds(delaySeconds(DataForm.value(form, "delay")));
        String announcement = String.join("\n", DataForm.values(form, "announcement")).strip();
        int told = 0;
        if (!announcement.isEmpty()) {
            for (LocalSession session : sessions.all()) {
                session.deliver(ServerNotices.announcement(session.jid().asDomainBareJid(), session.jid(), announcement));
                told++;
            }
        }
        server.stopAfter(delay);
        return CommandStage.completed(null, "The service shuts down in " + delay.toSeconds() + " seconds"
                + (announcement.isEmpty() ? "." : "; the announcement went to " + told
                + (told == 1 ? " session." : " sessions.")));
    }

    /** The submitted delay in seconds: none means at once; not a whole number from 0 to an hour is refused. */
    private static long delaySeconds(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= 0 && seconds <= MAX_DELAY_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw CommandException.badPayload("the delay is a number of seconds from 0 to " + MAX_DELAY_SECONDS
                + ": " + value);
    }

    private static Map<String, String> delays() {
        Map<String, String> delays = new LinkedHashMap<>();
        delays.put("30", "30 seconds");
        delays.put("60", "60 seconds");
        delays.put("90", "90 seconds");
        delays.put("120", "2 minutes");
        delays.put("180", "3 minutes");
        delays.put("240", "4 minutes");
        delays.put("300", "5 minutes");
        return Collections.unmodifiableMap(delays);
    }
}
