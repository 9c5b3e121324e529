package im.parley.server.modules.pubsub;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.storage.RosterItem;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Who may see a node of the service, subscribe to it and retrieve its items (XEP-0060 §4.5 access
 * models; §6.1.3 and §6.5.9 their errors). Owners and publishers always may, outcasts and
 * publish-only entities never ({@code forbidden}, §6.1.3.8, §6.5.9.8; §4.1 table 4). Under {@code presence} and {@code roster} the node's
 * owners' rosters decide (those of its owners with an account here: a remote owner's roster is
 * not known). Under {@code authorize}, items are for approved subscribers ({@code not-subscribed},
 * §6.5.9.3) and a subscription waits for an owner's approval; under {@code whitelist}, for members.
 */
final class NodeAccess {

    private final Function<EntityBareJid, Collection<RosterItem>> rosters;

    /** @param rosters the roster of a local account, empty for any other JID */
    NodeAccess(Function<EntityBareJid, Collection<RosterItem>> rosters) {
        this.rosters = rosters;
    }

    /**
     * The same rules, each owner's roster read once: for a broadcast, which checks every
     * subscriber against the same owners.
     */
    NodeAccess readingRostersOnce() {
        Map<EntityBareJid, Collection<RosterItem>> read = new HashMap<>();
        return new NodeAccess(owner -> read.computeIfAbsent(owner, rosters));
    }

    /** What a subscription request is: refused, pending approval, or subscribed at once. */
    enum Subscribing { SUBSCRIBED, PENDING }

    /**
     * Why {@code requester} may not retrieve the node's items (§6.5.9), or empty if it may;
     * {@code subscribed} says whether it has an approved subscription.
     */
    Optional<Refusal> refusesItems(BareJid requester, NodeSettings settings, Map<String, Affiliation> affiliations,
                                  boolean subscribed) {
        Affiliation affiliation = affiliations.getOrDefault(requester.toString(), Affiliation.NONE);
        if (affiliation == Affiliation.OUTCAST || affiliation == Affiliation.PUBLISH_ONLY) {
            return Optional.of(Refusal.of(StanzaErrorCondition.FORBIDDEN));
        }
        if (affiliation == Affiliation.OWNER || affiliation == Affiliation.PUBLISHER) {
            return Optional.empty();
        }
        return switch (settings.accessModel()) {
            case "authorize" -> subscribed || affiliation == Affiliation.MEMBER ? Optional.empty()
                    : Optional.of(Refusal.of(StanzaErrorCondition.NOT_AUTHORIZED, "not-subscribed", null));
            default -> rosterOrList(requester, settings, affiliations, affiliation);
        };
    }

    /** Whether a subscription of {@code requester} is subscribed at once or waits (§6.1.2), or why it is refused (§6.1.3). */
    Subscribing subscribing(BareJid requester, NodeSettings settings, Map<String, Affiliation> affiliations)
            throws Refusal {
        Affiliation affiliation = affiliations.getOrDefault(requester.toString(), Affiliation.NONE);
        if (affiliation == Affiliation.OUTCAST || affiliation == Affiliation.PUBLISH_ONLY) {
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        if (affiliation == Affiliation.OWNER || affiliation == Affiliation.PUBLISHER) {
            return Subscribing.SUBSCRIBED;
        }
        if (settings.accessModel().equals("authorize")) {
            return affiliation == Affiliation.MEMBER ? Subscribing.SUBSCRIBED : Subscribing.PENDING;
        }
        Optional<Refusal> refusal = rosterOrList(requester, settings, affiliations, affiliation);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        return Subscribing.SUBSCRIBED;
    }

    /** The access models decided by the owners' rosters or the whitelist; open lets everyone in. */
    private Optional<Refusal> rosterOrList(BareJid requester, NodeSettings settings,
                                           Map<String, Affiliation> affiliations, Affiliation affiliation) {
        return switch (settings.accessModel()) {
            // §6.1.3.2, §6.5.9.4: not subscribed to an owner's presence.
            case "presence" -> ownersRosters(affiliations).stream().anyMatch(item -> item.contact().equals(requester)
                    && item.subscription().hasFrom()) ? Optional.empty()
                    : Optional.of(Refusal.of(StanzaErrorCondition.NOT_AUTHORIZED, "presence-subscription-required", null));
            // §6.1.3.3, §6.5.9.5: not in an allowed roster group of an owner.
            case "roster" -> ownersRosters(affiliations).stream().anyMatch(item -> item.contact().equals(requester)
                    && !Collections.disjoint(item.groups(), settings.rosterGroups())) ? Optional.empty()
                    : Optional.of(Refusal.of(StanzaErrorCondition.NOT_AUTHORIZED, "not-in-roster-group", null));
            // §6.1.3.4, §6.5.9.6: not on the whitelist.
            case "whitelist" -> affiliation == Affiliation.MEMBER ? Optional.empty()
                    : Optional.of(Refusal.of(StanzaErrorCondition.NOT_ALLOWED, "closed-node", null));
            default -> Optional.empty();
        };
    }

    private Collection<RosterItem> ownersRosters(Map<String, Affiliation> affiliations) {
        return affiliations.entrySet().stream().filter(e -> e.getValue() == Affiliation.OWNER)
                .flatMap(e -> {
                    try {
                        return rosters.apply(Jids.parseEntityBare(e.getKey())).stream();
                    } catch (JidMalformedException notAnAccount) {
                        return Stream.empty();
                    }
                }).toList();
    }
}
