package im.parley.server.modules.extdisco;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jxmpp.jid.EntityBareJid;

/**
 * Time-limited TURN credentials from a secret shared with the TURN server, the scheme of
 * draft-uberti-behave-turn-rest-00 §2.2 that coturn checks with {@code use-auth-secret} and
 * {@code static-auth-secret}: the username is {@code <expiry as Unix time>:<account>}, the
 * password {@code base64(HMAC-SHA1(secret, username))}. The TURN server recomputes the password
 * and refuses a username whose time has passed; Parley keeps no state.
 */
final class TurnCredentials {

    /** A username, its password and when they stop working (XEP-0215 §2, {@code expires}). */
    record Credentials(String username, String password, Instant expires) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", expires " + expires + "]";
        }
    }

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    TurnCredentials(String secret, Duration ttl, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Credentials for {@code account}, valid for at least the configured time: their expiry is
     * rounded up to the next whole minute, so that the requests of one minute get the same
     * credentials (a client that asks for all services, then for one, sees one set, XEP-0215 §3.2).
     */
    Credentials issue(EntityBareJid account) {
        Instant atLeast = clock.instant().plus(ttl);
        Instant minute = atLeast.truncatedTo(ChronoUnit.MINUTES);
        Instant expires = minute.equals(atLeast) ? minute : minute.plus(1, ChronoUnit.MINUTES);
        String username = expires.getEpochSecond() + ":" + account;
        return new Credentials(username, password(username), expires);
    }

    private String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[ttl " + ttl + "]";
    }
}
