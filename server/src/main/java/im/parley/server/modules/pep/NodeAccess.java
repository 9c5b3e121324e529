package im.parley.server.modules.pep;

import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.storage.Roster;
import im.parley.server.storage.RosterItem;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Who may see a node's items (XEP-0060 §4.5 access models, §6.5.9 their errors): the owner
 * always (XEP-0163 §3); under {@code open} anyone; under {@code presence} contacts subscribed
 * to the owner's presence (subscription from or both); under {@code roster} contacts in one
 * of the allowed roster groups; under {@code whitelist} the members and publishers the owner
 * named (§8.9). An outcast sees nothing. One instance answers for one owner's roster.
 */
final class NodeAccess {

    private final EntityBareJid owner;
    private final Roster roster;

    NodeAccess(EntityBareJid owner, Roster roster) {
        this.owner = owner;
        this.roster = roster;
    }

    /** Whether {@code entity} is the owner or subscribed to the owner's presence (subscription from or both). */
    boolean sharesPresence(BareJid entity) {
        return owner.equals(entity) || roster.items().stream()
                .anyMatch(i -> i.contact().equals(entity) && i.subscription().hasFrom());
    }

    boolean allows(BareJid requester, NodeConfig config, Map<String, Affiliation> affiliations) {
        return refusal(requester, config, affiliations).isEmpty();
    }

    /** Why {@code requester} may not see the node, or empty if it may. */
    Optional<Refusal> refusal(BareJid requester, NodeConfig config, Map<String, Affiliation> affiliations) {
        if (owner.equals(requester)) {
            return Optional.empty();
        }
        Affiliation affiliation = affiliations.getOrDefault(requester.toString(), Affiliation.NONE);
        if (affiliation == Affiliation.OUTCAST) {
            // §4.1: an outcast may not retrieve items.
            return Optional.of(Refusal.of(StanzaErrorCondition.FORBIDDEN));
        }
        Optional<RosterItem> contact = roster.items().stream().filter(i -> i.contact().equals(requester)).findFirst();
        return switch (config.accessModel()) {
            case OPEN -> Optional.empty();
            // §6.5.9.4: not subscribed to the owner's presence.
            case PRESENCE -> sharesPresence(requester) ? Optional.empty()
                    : Optional.of(Refusal.of(StanzaErrorCondition.NOT_AUTHORIZED, "presence-subscription-required", null));
            // §6.5.9.5: not in an allowed roster group.
            case ROSTER -> contact.filter(i -> !Collections.disjoint(i.groups(), config.rosterGroups())).isPresent()
                    ? Optional.empty()
                    : Optional.of(Refusal.of(StanzaErrorCondition.NOT_AUTHORIZED, "not-in-roster-group", null));
            // §6.5.9.6: not on the whitelist.
            case WHITELIST -> affiliation == Affiliation.MEMBER || affiliation == Affiliation.PUBLISHER
                    || affiliation == Affiliation.OWNER ? Optional.empty()
                    : Optional.of(Refusal.of(StanzaErrorCondition.NOT_ALLOWED, "closed-node", null));
        };
    }
}
