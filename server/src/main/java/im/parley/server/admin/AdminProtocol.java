package im.parley.server.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.parley.server.tls.ReloadReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The admin socket's protocol: the {@code parley} command connects, writes one request as a JSON
 * object on one line, reads one response line, and the connection ends. Every request carries
 * the secret the server wrote to {@link #secretFile} when it started.
 */
final class AdminProtocol {

    /** Longer lines are refused: a request is a JID, a password and a secret. */
    static final int MAX_LINE_BYTES = 64 * 1024;


    private AdminProtocol() {
    }

    enum Operation {
        PING, EXISTS, CREATE, CHANGE_PASSWORD, DELETE, LIST,
        DISABLE, ENABLE, LIST_DISABLED, LIST_ONLINE, END_SESSIONS, ANNOUNCE, MOTD_GET, MOTD_SET, MOTD_DELETE, STATUS,
        RELOAD
    }

    enum Failure { ACCOUNT_EXISTS, NO_SUCH_ACCOUNT, BAD_PASSWORD, BAD_REQUEST, FORBIDDEN, BUSY, INTERNAL }

    /**
     * @param jid the account (or, for {@code END_SESSIONS}, a full JID) the operation is about
     * @param password the new password, for {@code CREATE} and {@code CHANGE_PASSWORD}
     * @param domain the domain, for the lists, the announcement and the message of the day
     * @param text the announcement, or the message of the day to set
     */
    record Request(String secret, Operation op, String jid, String password, String domain, String text) {

        Request(String secret, Operation op, String jid, String password, String domain) {
            this(secret, op, jid, password, domain, null);
        }
    }

    /**
     * @param failure null when the operation succeeded
     * @param message what went wrong, for the command to print
     * @param exists the answer to {@code EXISTS}
     * @param accounts the answer to the lists
     * @param count how many sessions {@code END_SESSIONS} ended or {@code ANNOUNCE} reached;
     *              for {@code MOTD_DELETE}, 1 if there was a message; for {@code RELOAD}, how many
     *              certificates could not be used (the hosts concerned keep theirs)
     * @param text the answer to {@code MOTD_GET}, null when none is set; for {@code RELOAD}, the
     *             report, one line per host or refused file
     * @param status the answer to {@code STATUS}
     */
    record Response(Failure failure, String message, Boolean exists, List<String> accounts, Integer count,
                    String text, ServerStatus status) {

        static Response ok() {
            return new Response(null, null, null, null, null, null, null);
        }

        static Response failed(Failure failure, String message) {
            return new Response(failure, message, null, null, null, null, null);
        }

        static Response exists(boolean exists) {
            return new Response(null, null, exists, null, null, null, null);
        }

        static Response accounts(List<String> accounts) {
            return new Response(null, null, null, accounts, null, null, null);
        }

        static Response count(int count) {
            return new Response(null, null, null, null, count, null, null);
        }

        static Response text(String text) {
            return new Response(null, null, null, null, null, text, null);
        }

        static Response reloaded(ReloadReport report) {
            return new Response(null, null, null, null, report.failures(), String.join("\n", report.lines()), null);
        }

        static Response status(ServerStatus status) {
            return new Response(null, null, null, null, null, null, status);
        }
    }

    /** The socket in the data directory; inside it, only the server's user can reach it. */
    static Path socketFile(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("admin.sock");
    }

    /** The secret file (0600), written afresh at every start. */
    static Path secretFile(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("admin.secret");
    }

    static byte[] encode(Object message) throws IOException {
        return Json.MAPPER.writeValueAsBytes(message);
    }

    static <T> T decode(byte[] line, Class<T> type) throws IOException {
        return Json.MAPPER.readValue(line, type);
    }

    /** Made at the first request, not when a server start asks for the socket's file names (issue 19). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
