package im.parley.server.modules.sm;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.server.c2s.C2sSession;
import im.parley.server.session.RouteTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.jxmpp.jid.EntityFullJid;

/**
 * Stream management ids (XEP-0198 §3 {@code <enabled id/>}, §5 {@code previd}): an unguessable
 * token and the session's full JID, so that a resumption finds the session in the
 * {@link RouteTable} — the one place bound sessions live, hibernated or not — and no
 * second table has to be kept in step with it. The id is only ever sent to the client itself.
 */
final class ResumptionIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ResumptionIds() {
    }

    static String create(EntityFullJid jid) {
        byte[] token = new byte[18];
        RANDOM.nextBytes(token);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString(token) + "." + base64.encodeToString(jid.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The session with this stream management id, if it is still bound and resumable. */
    static Optional<C2sSession> find(String id, RouteTable sessions) {
        if (id == null) {
            return Optional.empty();
        }
        int dot = id.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        EntityFullJid jid;
        try {
            jid = Jids.parse(new String(Base64.getUrlDecoder().decode(id.substring(dot + 1)), StandardCharsets.UTF_8))
                    .asEntityFullJidIfPossible();
        } catch (IllegalArgumentException | JidMalformedException e) {
            return Optional.empty();
        }
        if (jid == null) {
            return Optional.empty();
        }
        return sessions.find(jid)
                .filter(C2sSession.class::isInstance)
                .map(C2sSession.class::cast)
                .filter(session -> session.interceptor(ManagedSession.class)
                        .map(managed -> managed.id() != null && MessageDigest.isEqual(
                                managed.id().getBytes(StandardCharsets.UTF_8), id.getBytes(StandardCharsets.UTF_8)))
                        .orElse(false));
    }
}
