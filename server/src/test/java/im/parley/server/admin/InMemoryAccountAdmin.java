package im.parley.server.admin;

import im.parley.server.account.AccountExistsException;
import im.parley.server.account.NoSuchAccountException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/** Accounts in a map, for testing the admin socket without a database; refuses the password "bad". */
final class InMemoryAccountAdmin implements AccountAdmin {
    final Map<String, String> passwords = new ConcurrentSkipListMap<>();
    final Set<String> disabled = ConcurrentHashMap.newKeySet();
    final List<String> announcements = new CopyOnWriteArrayList<>();
    final Map<String, String> motds = new ConcurrentHashMap<>();

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

    @Override
    public void setDisabled(EntityBareJid jid, boolean disabled) throws NoSuchAccountException {
        if (!exists(jid)) {
            throw new NoSuchAccountException(jid);
        }
        if (disabled) {
            this.disabled.add(jid.toString());
        } else {
            this.disabled.remove(jid.toString());
        }
    }

    @Override
    public List<EntityBareJid> listDisabled(DomainBareJid domain) {
        return list(domain).stream().filter(jid -> disabled.contains(jid.toString())).toList();
    }

    /** Nobody is online: there are no sessions here. */
    @Override
    public List<EntityBareJid> listOnline(DomainBareJid domain) {
        return List.of();
    }

    @Override
    public int endSessions(Jid jid) {
        return 0;
    }

    @Override
    public int announce(DomainBareJid domain, String text) {
        announcements.add(domain + ": " + text);
        return 0;
    }

    @Override
    public Optional<String> motd(DomainBareJid domain) {
        return Optional.ofNullable(motds.get(domain.toString()));
    }

    @Override
    public void setMotd(DomainBareJid domain, String text, boolean sendNow) {
        motds.put(domain.toString(), text);
    }

    @Override
    public boolean deleteMotd(DomainBareJid domain) {
        return motds.remove(domain.toString()) != null;
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
