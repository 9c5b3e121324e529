package im.parley.server.storage;

import java.util.Collection;
import java.util.Set;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/** The JIDs an account blocks (XEP-0191). Blocking: call off the event loop. */
public interface BlockListStore {

    /** The blocked JIDs of the account (empty if none). */
    Set<Jid> load(EntityBareJid owner);

    /** Adds JIDs to the account's block list; JIDs already blocked are kept once. */
    void add(EntityBareJid owner, Collection<? extends Jid> jids);

    /** Removes these JIDs from the account's block list. */
    void remove(EntityBareJid owner, Collection<? extends Jid> jids);

    /** Empties the account's block list (XEP-0191 §3.5, unblock all). */
    void clear(EntityBareJid owner);
}
