package im.parley.server.admin;

import im.parley.server.account.AccountExistsException;
import im.parley.server.account.NoSuchAccountException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/** Accounts in a map, for testing the admin socket without a database; refuses the password "bad". */
final class InMemoryAccountAdmin implements AccountAdmin {
    final Map<String, String> passwords = new ConcurrentSkipListMap<>();

    @Override
    public void create(EntityBareJid jid, String password) throws AccountExistsException {
        refuseBad(password);
        if (passwords.putIfAbsent(jid.toString(), password) != null) {
            throw new AccountExistsException(jid);
        }
    }

    @Override
    public void changePassword(EntityBareJid jid, String password) throws NoSuchAccountException {
        refuseBad(password);
        if (passwords.replace(jid.toString(), password) == null) {
            throw new NoSuchAccountException(jid);
        }
    }

    @Override
    public void delete(EntityBareJid jid) throws NoSuchAccountException {
        if (passwords.remove(jid.toString()) == null) {
            throw new NoSuchAccountException(jid);
        }
    }

    @Override
    public boolean exists(EntityBareJid jid) {
        return passwords.containsKey(jid.toString());
    }

    @Override
    public List<EntityBareJid> list(DomainBareJid domain) {
        return passwords.keySet().stream().filter(jid -> jid.endsWith("@" + domain))
                .map(InMemoryAccountAdmin::parse).toList();
    }

    private static EntityBareJid parse(String jid) {
        try {
            return im.parley.core.jid.Jids.parseEntityBare(jid);
        } catch (im.parley.core.jid.JidMalformedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void refuseBad(String password) {
        if ("bad".equals(password)) {
            throw new IllegalArgumentException("the password is not allowed");
        }
    }
}
