package im.parley.server.admin;

import im.parley.server.account.AccountExistsException;
import im.parley.server.account.NoSuchAccountException;
import java.util.List;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * The account operations of the {@code parley} command: through the running server's admin
 * socket ({@link AdminClient}), or on the database itself when no server runs
 * ({@link LocalAccountAdmin}). Blocking.
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
}
