package im.parley.server.admin;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.account.AccountExistsException;
import im.parley.server.account.AccountService;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import im.parley.server.storage.MotdStore;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account operations on this process's database and sessions: what the admin socket runs
 * for the {@code parley} command, what the service administration commands run (XEP-0133), and
 * what the command runs itself when no server does (then there are no sessions to end).
 *
 * <p>Deleting an account ends its sessions with {@code <not-authorized/>}, as XEP-0077 §3.2 has
 * the server do when an account is removed in-band; so does disabling it (XEP-0133 §4.3: its
 * sessions end and it cannot log in). A new password ends them with {@code <reset/>} (RFC 6120
 * §4.9.3.16: the credentials behind the stream's authentication are revoked), as Prosody does on
 * {@code user-password-changed}: an administrator changes a password when it leaked, and a session
 * authenticated with the old one must not outlive it. Ending a user's sessions without more
 * (XEP-0133 §4.5, "kicking") is {@code <policy-violation/>}, as ejabberd's {@code kick_session}.
 * A hibernated session (XEP-0198 §5) ends too, so it cannot be resumed. On a cluster these act on
 * the sessions of every node ({@link RouteTable#everywhere()}).
 */
public final class LocalAccountAdmin implements AccountAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAccountAdmin.class);

    private final AccountService accounts;
    private final MotdStore motds;
    private final RouteTable sessions;
    private final Clock clock;

    public LocalAccountAdmin(AccountService accounts, MotdStore motds, RouteTable sessions, Clock clock) {
        this.accounts = accounts;
        this.motds = motds;
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public void create(EntityBareJid jid, String password) throws AccountExistsException {
        accounts.create(jid, password);
        LOG.info("account {} created by an administrator", jid);
    }

    @Override
    public void changePassword(EntityBareJid jid, String password) throws NoSuchAccountException {
        accounts.changePassword(jid, password);
        int ended = endAll(jid, StreamError.of(StreamErrorCondition.RESET, "the password was changed"));
        LOG.info("password of {} changed by an administrator; {} sessions ended", jid, ended);
    }

    @Override
    public void delete(EntityBareJid jid) throws NoSuchAccountException {
        accounts.delete(jid);
        int ended = endAll(jid, StreamError.of(StreamErrorCondition.NOT_AUTHORIZED, "the account was removed"));
        LOG.info("account {} deleted by an administrator; {} sessions ended", jid, ended);
    }

    @Override
    public boolean exists(EntityBareJid jid) {
        return accounts.exists(jid);
    }

    @Override
    public List<EntityBareJid> list(DomainBareJid domain) {
        return accounts.list(domain);
    }

    @Override
    public void setDisabled(EntityBareJid jid, boolean disabled) throws NoSuchAccountException {
        accounts.setDisabled(jid, disabled);
        if (disabled) {
            int ended = endAll(jid, StreamError.of(StreamErrorCondition.NOT_AUTHORIZED, "the account was disabled"));
            LOG.info("account {} disabled by an administrator; {} sessions ended", jid, ended);
        } else {
            LOG.info("account {} enabled by an administrator", jid);
        }
    }

    @Override
    public List<EntityBareJid> listDisabled(DomainBareJid domain) {
        return accounts.listDisabled(domain);
    }

    @Override
    public List<EntityBareJid> listOnline(DomainBareJid domain) {
        return sessionsOf(domain).stream().map(session -> session.jid().asEntityBareJid()).distinct()
                .sorted(Comparator.comparing(EntityBareJid::toString)).toList();
    }

    @Override
    public int endSessions(Jid jid) {
        StreamError kicked = StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "ended by an administrator");
        int ended;
        EntityFullJid full = jid.asEntityFullJidIfPossible();
        if (full != null) {
            Optional<LocalSession> session = sessions.find(full);
            session.ifPresent(s -> s.close(kicked));
            ended = session.isPresent() ? 1 : 0;
        } else if (jid.asEntityBareJidIfPossible() != null) {
            ended = endAll(jid.asEntityBareJidIfPossible(), kicked);
        } else {
            ended = 0;
        }
        LOG.info("{} sessions of {} ended by an administrator", ended, jid);
        return ended;
    }

    @Override
    public int announce(DomainBareJid domain, String text) {
        List<LocalSession> online = sessionsOf(domain);
        for (LocalSession session : online) {
            session.deliver(ServerNotices.announcement(domain, session.jid(), text));
        }
        LOG.info("announcement to {} sessions of {} by an administrator", online.size(), domain);
        return online.size();
    }

    @Override
    public Optional<String> motd(DomainBareJid domain) {
        return motds.find(domain).map(MotdStore.Motd::body);
    }

    @Override
    public void setMotd(DomainBareJid domain, String text, boolean sendNow) {
        long version = clock.millis();
        motds.set(domain, text, version);
        int sent = 0;
        if (sendNow) {
            Map<EntityBareJid, List<LocalSession>> available = sessionsOf(domain).stream()
                    .filter(LocalSession::isAvailable)
                    .collect(Collectors.groupingBy(session -> session.jid().asEntityBareJid()));
            for (Map.Entry<EntityBareJid, List<LocalSession>> user : available.entrySet()) {
                if (motds.markSent(user.getKey(), version)) {
                    user.getValue().forEach(session -> session.deliver(ServerNotices.motd(domain, session.jid(), text)));
                    sent++;
                }
            }
        }
        LOG.info("message of the day of {} set by an administrator; sent to {} online users", domain, sent);
    }

    @Override
    public boolean deleteMotd(DomainBareJid domain) {
        boolean deleted = motds.delete(domain);
        LOG.info("message of the day of {} deleted by an administrator", domain);
        return deleted;
    }

    private List<LocalSession> sessionsOf(DomainBareJid domain) {
        return sessions.everywhere().stream().filter(session -> session.jid().asDomainBareJid().equals(domain)).toList();
    }

    private int endAll(EntityBareJid jid, StreamError error) {
        List<LocalSession> ended = sessions.sessionsOf(jid);
        for (LocalSession session : ended) {
            session.close(error);
        }
        return ended.size();
    }
}
