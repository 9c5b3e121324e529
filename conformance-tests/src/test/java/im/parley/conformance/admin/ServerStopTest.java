package im.parley.conformance.admin;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ServerProcess;
import im.parley.conformance.raw.RawXmppClient;
import im.parley.server.testing.ParleyProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the server, as its users see it, against {@code parley run} in a process of its own:
 * every client's stream ends with the stream error {@code system-shutdown} (RFC 6120 §4.9.3.20),
 * whether a service manager sends SIGTERM or an administrator's client runs XEP-0133 §4.31 (Shut
 * Down Service, XEP-0050 commands), which also tells the users online first and makes the process
 * exit with status 0, so that a service manager does not take it for a crash.
 */
class ServerStopTest {

    private static final String DOMAIN = "shutdown.test";
    private static final String PASSWORD = "shutdown password";
    private static final String COMMANDS = "http://jabber.org/protocol/commands";
    private static final String NODE = "http://jabber.org/protocol/admin#shutdown";
    /** Not one of the form's choices (30 s to 5 min): a test does not wait that long; any number up to an hour is taken. */
    private static final int DELAY_SECONDS = 2;

    @TempDir
    Path dir;
    private ServerProcess parley;

    @AfterEach
    void stop() throws Exception {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void anAdministratorShutsTheServerDownAfterTellingTheUsersOnline() throws Exception {
        parley = new ServerProcess(dir, DOMAIN, PASSWORD, "admins: [\"admin@" + DOMAIN + "\"]");
        parley.addUsers("admin", "romeo");
        ParleyProcess process = parley.start();
        RawXmppClient romeo = parley.login("romeo");
        romeo.send("<presence/>");
        RawXmppClient admin = parley.login("admin");

        Element form = admin.iq("<iq type='set' id='%s' to='" + DOMAIN + "'><command xmlns='" + COMMANDS
                + "' node='" + NODE + "' action='execute'/></iq>");
        assertThat(form.attributeValue("type")).as(form.asXML()).isEqualTo("result");
        Element command = form.element("command");
        assertThat(command.attributeValue("status")).isEqualTo("executing");
        assertThat(command.element("x").elements("field")).extracting(f -> f.attributeValue("var"))
                .contains("delay", "announcement");

        Element done = admin.iq("<iq type='set' id='%s' to='" + DOMAIN + "'><command xmlns='" + COMMANDS
                + "' node='" + NODE + "' sessionid='" + command.attributeValue("sessionid") + "'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field type='hidden' var='FORM_TYPE'><value>http://jabber.org/protocol/admin</value></field>"
                + "<field var='delay'><value>" + DELAY_SECONDS + "</value></field>"
                + "<field var='announcement'><value>The service will be shut down now!</value>"
                + "<value>Please log off now. --The Admins</value></field></x></command></iq>");
        assertThat(done.attributeValue("type")).as(done.asXML()).isEqualTo("result");
        assertThat(done.element("command").attributeValue("status")).isEqualTo("completed");

        Element announcement = romeo.nextElement(e -> "message".equals(e.getName()));
        assertThat(announcement.attributeValue("type")).isEqualTo("headline");
        assertThat(announcement.elementText("body"))
                .isEqualTo("The service will be shut down now!\nPlease log off now. --The Admins");
        assertThat(romeo.streamErrorConditionAfterStanzas()).isEqualTo("system-shutdown");

        assertThat(process.awaitExit(Duration.ofSeconds(60))).as("the process exits").isTrue();
        assertThat(process.exitValue()).as(process.log()).isZero();
        assertThat(process.log()).contains("an administrator stops the server in " + DELAY_SECONDS + " s")
                .contains("Parley stopped");
    }

    /**
     * SIGTERM (RFC 6120 §4.9.3.20): the client reads {@code system-shutdown}, then the end of the
     * stream. It used to read the end of the connection only, in about half the runs: the event
     * loops stopped right after the error was written, and closing a connection whose client's last
     * bytes (its TLS close) were unread reset it, which drops what the client had not read yet.
     */
    @Test
    void sigtermEndsEveryStreamWithSystemShutdown() throws Exception {
        parley = new ServerProcess(dir, DOMAIN, PASSWORD);
        parley.addUsers("romeo", "juliet");
        ParleyProcess process = parley.start();
        List<RawXmppClient> online = List.of(parley.login("romeo"), parley.login("juliet"));
        for (RawXmppClient client : online) {
            client.send("<presence/>");
            client.iq("<iq type='get' id='%s'><query xmlns='jabber:iq:roster'/></iq>");
        }

        Thread sigterm = new Thread(() -> {
            try {
                process.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sigterm");
        sigterm.start();
        for (RawXmppClient client : online) {
            assertThat(client.streamErrorConditionAfterStanzas()).isEqualTo("system-shutdown");
        }
        sigterm.join();
    }
}
