package im.parley.server.admin;

import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.server.account.AccountExistsException;
import im.parley.server.account.AccountService;
import im.parley.server.account.NoSuchAccountException;
import im.parley.server.session.LocalSession;
import im.parley.server.session.RouteTable;
import java.util.List;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account operations on this process's database and sessions: what the admin socket runs
 * for the {@code parley} command, and what the command runs itself when no server does (then
 * there are no sessions to end).
 *
 * <p>Deleting an account ends its sessions with {@code <not-authorized/>}, as XEP-0077 §3.2 has
 * the server do when an account is removed in-band. A new password ends them with
 * {@code <reset/>} (RFC 6120 §4.9.3.16: the credentials behind the stream's authentication are
 * revoked), as Prosody does on {@code user-password-changed}: an administrator changes a password
 * when it leaked, and a session authenticated with the old one must not outlive it. A hibernated
 * session (XEP-0198 §5) ends too, so it cannot be resumed.
 */
public final class LocalAccountAdmin implements AccountAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAccountAdmin.class);

    private final AccountService accounts;
    private final RouteTable sessions;

    public LocalAccountAdmin(AccountService accounts, RouteTable sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    @Override
    public void create(EntityBareJid jid, String password) throws AccountExistsException {
        accounts.create(jid, password);
        LOG.info("account {} created by the parley command", jid);
    }

    @Override
    public void changePassword(EntityBareJid jid, String password) throws NoSuchAccountException {
        accounts.changePassword(jid, password);
        int ended = endSessions(jid, StreamError.of(StreamErrorCondition.RESET, "the password was changed"));
        LOG.info("password of {} changed by the parley command; {} sessions ended", jid, ended);
    }

    @Override
    public void delete(EntityBareJid jid) throws NoSuchAccountException {
        accounts.delete(jid);
        int ended = endSessions(jid, StreamError.of(StreamErrorCondition.NOT_AUTHORIZED, "the account was removed"));
        LOG.info("account {} deleted by the parley command; {} sessions ended", jid, ended);
    }

    @Override
    public boolean exists(EntityBareJid jid) {
        return accounts.exists(jid);
    }

    @Override
    public List<EntityBareJid> list(DomainBareJid domain) {
        return accounts.list(domain);
    }

    private int endSessions(EntityBareJid jid, StreamError error) {
        List<LocalSession> ended = sessions.sessionsOf(jid);
        for (LocalSession session : ended) {
            session.close(error);
        }
        return ended.size();
    }
}
