package im.parley.bench.soak;

import im.parley.bench.client.ClientEvents;
import im.parley.bench.client.XmppClient;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A complete login attempt with a wrong password, as a password-guessing client makes: the server
 * must refuse it with SASL {@code not-authorized} (RFC 6120 §6.5.10), or with
 * {@code temporary-auth-failure} (§6.5.12) once the source address has failed too often
 * ({@code limits.max_auth_failures}).
 */
final class WrongPasswordProbe implements ClientEvents {
    static final String WRONG_PASSWORD = "not-the-password";

    private final ProbeTally tally;
    private final AtomicBoolean finished = new AtomicBoolean();

    WrongPasswordProbe(ProbeTally tally) {
        this.tally = tally;
    }

    @Override
    public void loggedIn(XmppClient client, long loginNanos) {
        if (finished.compareAndSet(false, true)) {
            tally.unexpected("logged in with a wrong password");
        }
        client.drop();
    }

    @Override
    public void failed(XmppClient client, String reason) {
        if (finished.compareAndSet(false, true)) {
            if (reason.contains("not-authorized") || reason.contains("temporary-auth-failure")) {
                tally.expected();
            } else {
                tally.unexpected(reason);
            }
        }
    }

    /** No answer in time: the client is dropped. */
    void timedOut(XmppClient client, double seconds) {
        if (finished.compareAndSet(false, true)) {
            tally.unexpected("no SASL answer within " + seconds + " s");
        }
        client.drop();
    }
}
