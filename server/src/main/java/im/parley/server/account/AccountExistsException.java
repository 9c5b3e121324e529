package im.parley.server.account;

import org.jxmpp.jid.EntityBareJid;

/** The account to create already exists. */
public class AccountExistsException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient EntityBareJid jid;

    public AccountExistsException(EntityBareJid jid) {
        super("account " + jid + " already exists");
        this.jid = jid;
    }

    public EntityBareJid jid() {
        return jid;
    }
}
