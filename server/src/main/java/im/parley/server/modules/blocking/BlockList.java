package im.parley.server.modules.blocking;

import java.util.Set;
import org.jxmpp.jid.Jid;

/**
 * The JIDs one account blocks, immutable. Matching follows XEP-0191 §6 ("JID Matching"), which
 * takes the rules of XEP-0016 §2.1: a full JID item matches that full JID only, a bare JID item
 * matches the bare JID and all its resources, a domain item matches the domain, its users and
 * all their resources, a {@code domain/resource} item matches only itself.
 */
record BlockList(Set<Jid> jids) {

    static final BlockList EMPTY = new BlockList(Set.of());

    BlockList {
        jids = Set.copyOf(jids);
    }

    boolean blocks(Jid jid) {
        if (jids.isEmpty() || jid == null) {
            return false;
        }
        return jids.contains(jid) || jids.contains(jid.asBareJid()) || jids.contains(jid.asDomainBareJid());
    }

    boolean isEmpty() {
        return jids.isEmpty();
    }
}
