package im.parley.server.modules.pep;

import im.parley.core.routing.Stanza;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.Verdict;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.pep.CapsResolver.Caps;
import java.util.Set;
import java.util.concurrent.Executor;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches presence arriving at local accounts, from the account's own resources and from anyone
 * else, local or over federation: the implicit subscriptions of XEP-0163 §4.1 ("auto-subscribe")
 * with the filter of §4.2 taken from each resource's entity capabilities. A newly available
 * resource gets the last item of each node it wants and may see (§4.3.3 rule 2, §4.3.4).
 *
 * <p>Presence of a group chat occupant ({@code <x/>} of {@code muc#user}, XEP-0045 §7.2.3) is
 * not a contact's: the room sends it from an occupant JID, which no one's PEP nodes are for.
 * It is passed over, so a room of 500 does not make each occupant's account track (and query
 * the capabilities of) 499 occupant JIDs.
 */
final class PresenceInterest {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceInterest.class);
    private static final String MUC_USER = "http://jabber.org/protocol/muc#user";

    private final InterestedResources interests;
    private final CapsResolver resolver;
    private final PepService service;
    private final Executor blocking;

    PresenceInterest(InterestedResources interests, CapsResolver resolver, PepService service, Executor blocking) {
        this.interests = interests;
        this.resolver = resolver;
        this.service = service;
        this.blocking = blocking;
    }

    /** Observes and passes: delivery and the presence module go on as before. */
    Verdict onPresence(StanzaEvent event) {
        Stanza presence = event.stanza();
        EntityBareJid account = presence.to() == null ? null : presence.to().asEntityBareJidIfPossible();
        Jid resource = presence.from();
        if (account == null || resource == null || !resource.hasResource() || fromRoomOccupant(presence)) {
            return Verdict.PASS;
        }
        String type = presence.type();
        if ("unavailable".equals(type)) {
            interests.unavailable(account, resource);
        } else if (type == null) {
            available(account, resource, Caps.of(presence.element()));
        }
        return Verdict.PASS;
    }

    private static boolean fromRoomOccupant(Stanza presence) {
        return presence.element().element(QName.get("x", MUC_USER)) != null;
    }

    private void available(EntityBareJid account, Jid resource, Caps caps) {
        String nodeVer = caps == null ? "" : caps.nodeVer();
        if (!interests.available(account, resource, nodeVer)) {
            return;
        }
        if (caps == null) {
            interests.resolved(account, resource, nodeVer, Set.of());
            return;
        }
        resolver.resolve(account, resource, caps, features -> {
            interests.resolved(account, resource, nodeVer, features);
            if (features.stream().anyMatch(f -> f.endsWith(InterestedResources.NOTIFY))) {
                PoolWork.run(() -> service.sendLastItems(account, resource, features), blocking)
                        .exceptionally(failure -> {
                            LOG.warn("cannot send the last PEP items of {} to {}", account, resource, failure);
                            return null;
                        });
            }
        });
    }
}
