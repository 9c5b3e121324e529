package im.parley.server.admin;

import im.parley.server.account.AccountExistsException;
import im.parley.server.account.NoSuchAccountException;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * The account operations of the {@code parley} command: through the running server's admin
 * socket ({@link AdminClient}), or on the database itself when no server runs
 * ({@link LocalAccountAdmin}). Blocking. The same operations are the server's service
 * administration commands (XEP-0133, {@code modules.serviceadmin}).
 */
public interface AccountAdmin {

    /**
     * @throws AccountExistsException if the account exists
     * @throws IllegalArgumentException if the password is refused
     */
    void create(EntityBareJid jid, String password) throws AccountExistsException;

    /**
     * Replaces the password; the account's sessions end.
     *
     * @throws IllegalArgumentException if the password is refused
     */
    void changePassword(EntityBareJid jid, String password) throws NoSuchAccountException;

    /** Deletes the account; its sessions end. */
    void delete(EntityBareJid jid) throws NoSuchAccountException;

    boolean exists(EntityBareJid jid);

    /** The accounts of {@code domain}, sorted. */
    List<EntityBareJid> list(DomainBareJid domain);

    /**
     * Disables the account, ending its sessions (XEP-0133 §4.3: it cannot log in, its data
     * stays), or enables it again (§4.4).
     */
    void setDisabled(EntityBareJid jid, boolean disabled) throws NoSuchAccountException;

    /** The disabled accounts of {@code domain}, sorted. */
    List<EntityBareJid> listDisabled(DomainBareJid domain);

    /** The accounts of {@code domain} with at least one session (XEP-0133 §4.15), sorted. */
    List<EntityBareJid> listOnline(DomainBareJid domain);

    /**
     * Ends the sessions of a bare JID, or the one session of a full JID (XEP-0133 §4.5); the
     * account may log in again.
     *
     * @return how many sessions ended
     */
    int endSessions(Jid jid);

    /**
     * Sends {@code text} as a headline message to every session of {@code domain} (XEP-0133 §4.23).
     *
     * @return how many sessions it was sent to
     */
    int announce(DomainBareJid domain, String text);

    /** The message of the day of {@code domain}, if one is set (XEP-0133 §4.24). */
    Optional<String> motd(DomainBareJid domain);

    /**
     * Sets the message of the day: sent at once to the available sessions of the domain when
     * {@code sendNow} (XEP-0133 §4.24, set), and to every other user once, at their next login.
     */
    void setMotd(DomainBareJid domain, String text, boolean sendNow);

    /** Deletes the message of the day (XEP-0133 §4.26); false if there was none. */
    boolean deleteMotd(DomainBareJid domain);
}
