package im.parley.server.modules.register;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.server.account.AccountExistsException;
import im.parley.server.account.AccountService;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account creation by unauthenticated clients (XEP-0077 §3.1.1, "Registration with a Server"):
 * the operator's policy (which domains are open) and a bound on attempts per client address, so
 * that one host cannot flood the server with accounts. Built once by the assembly; thread-safe.
 */
public final class InBandRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(InBandRegistration.class);

    /** What a registration attempt led to. */
    public enum Outcome {
        CREATED,
        /** The username is taken (XEP-0077 §3.1: {@code conflict}). */
        CONFLICT,
        /** The username is not a valid localpart (RFC 7622 §3.3). */
        USERNAME_MALFORMED,
        /** The password is not acceptable (empty, or not a PRECIS OpaqueString, RFC 8265 §4.2). */
        PASSWORD_NOT_ACCEPTABLE,
        /** Too many attempts from this address recently (XEP-0077 §3.1.1). */
        THROTTLED
    }

    /** Creates accounts: {@link AccountService#create}. Blocking. */
    @FunctionalInterface
    public interface AccountCreator {
        void create(EntityBareJid jid, String password) throws AccountExistsException;
    }

    private final RegistrationConfig config;
    private final AccountCreator accounts;
    /** Counts attempts rather than failures: the same sliding-window bound, applied to creations. */
    private final AuthFailureThrottle attempts;

    public InBandRegistration(RegistrationConfig config, AccountCreator accounts, Clock clock) {
        this.config = config;
        this.accounts = accounts;
        this.attempts = new AuthFailureThrottle(config.maxPerAddress(), config.window(), clock);
    }

    /** Registration closed on every domain (for stream tests that do not exercise it). */
    public static InBandRegistration closed() {
        return new InBandRegistration(RegistrationConfig.defaults(), (jid, password) -> {
            throw new IllegalStateException("registration is closed");
        }, Clock.systemUTC());
    }

    /** Whether clients of {@code domain} may register accounts (XEP-0077 is off unless configured). */
    /** Accounts one unauthenticated connection may register. */
    public int maxPerConnection() {
        return config.maxPerConnection();
    }

    public boolean isOpenFor(DomainBareJid domain) {
        return domain != null && config.isOpenFor(domain.toString());
    }

    /**
     * Creates the account {@code username@domain}. Blocking (storage, key derivation): call it
     * off the event loop.
     */
    public Outcome register(DomainBareJid domain, String username, String password, InetAddress from) {
        Optional<EntityBareJid> account = account(domain, username);
        if (account.isEmpty()) {
            return Outcome.USERNAME_MALFORMED;
        }
        if (!tryAcquire(from)) {
            return Outcome.THROTTLED;
        }
        try {
            accounts.create(account.get(), password);
            LOG.info("{} registered account {} in-band", from.getHostAddress(), account.get());
            return Outcome.CREATED;
        } catch (AccountExistsException e) {
            return Outcome.CONFLICT;
        } catch (IllegalArgumentException e) {
            return Outcome.PASSWORD_NOT_ACCEPTABLE;
        }
    }

    private synchronized boolean tryAcquire(InetAddress from) {
        if (attempts.isBlocked(from)) {
            return false;
        }
        attempts.recordFailure(from);
        return true;
    }

    /** The account JID, if {@code username} is a valid localpart on its own (no '@' or '/'). */
    static Optional<EntityBareJid> account(DomainBareJid domain, String username) {
        try {
            EntityBareJid jid = Jids.parseEntityBare(username + "@" + domain);
            return jid.getDomain().equals(domain) && username.indexOf('@') < 0 ? Optional.of(jid) : Optional.empty();
        } catch (JidMalformedException e) {
            return Optional.empty();
        }
    }
}
