package im.parley.server.account;

import org.jxmpp.jid.EntityBareJid;

/** The account to change or delete does not exist. */
public class NoSuchAccountException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient EntityBareJid jid;

    public NoSuchAccountException(EntityBareJid jid) {
        super("no account " + jid);
        this.jid = jid;
    }

    public EntityBareJid jid() {
        return jid;
    }
}
