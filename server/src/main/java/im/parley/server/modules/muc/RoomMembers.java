package im.parley.server.modules.muc;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jxmpp.jid.EntityBareJid;

/**
 * A room's lists and reservations, which a persistent room keeps with its configuration: the
 * affiliations (XEP-0045 §5.2), the nicknames members registered (§7.10) and the registrations
 * waiting for an admin's approval (§9.9). Like its {@link Room}, used in the room's turn only.
 */
final class RoomMembers {

    private final Map<EntityBareJid, Affiliation> affiliations = new HashMap<>();
    /** §7.10: the nicknames users registered, reserved for them (kept with their affiliation). */
    private final Map<EntityBareJid, String> registeredNicks = new HashMap<>();
    /** §9.9: registrations waiting for an admin's approval (user to requested nick), oldest first. */
    private final Map<EntityBareJid, String> pendingRegistrations = new LinkedHashMap<>();
    private boolean changed;

    RoomMembers(Map<EntityBareJid, Affiliation> affiliations, Map<EntityBareJid, String> registeredNicks) {
        this.affiliations.putAll(affiliations);
        this.registeredNicks.putAll(registeredNicks);
    }

    /** The affiliations on the room's lists (not the service's admins, {@link Room#affiliation}). */
    Map<EntityBareJid, Affiliation> affiliations() {
        return Map.copyOf(affiliations);
    }

    /** {@code user}'s affiliation on the room's lists. */
    Affiliation affiliation(EntityBareJid user) {
        return affiliations.getOrDefault(user, Affiliation.NONE);
    }

    void affiliate(EntityBareJid user, Affiliation affiliation) {
        if (affiliation == Affiliation.NONE) {
            affiliations.remove(user);
        } else {
            affiliations.put(user, affiliation);
        }
        if (affiliation == Affiliation.NONE || affiliation == Affiliation.OUTCAST) {
            // A reservation belongs to someone on the room's lists; losing the place loses the nick.
            registeredNicks.remove(user);
        }
        // Any change of affiliation decides a waiting registration request (§9.9).
        pendingRegistrations.remove(user);
        changed = true;
    }

    /** §9.9: the registrations waiting for approval, user to requested nick, oldest first. */
    Map<EntityBareJid, String> pendingRegistrations() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(pendingRegistrations));
    }

    /** The nick {@code user} asked to register, if its request waits for approval (§9.9), else null. */
    String pendingRegistration(EntityBareJid user) {
        return pendingRegistrations.get(user);
    }

    /** §9.9: records (or, with null, withdraws) {@code user}'s request to register {@code nick}. */
    void requestRegistration(EntityBareJid user, String nick) {
        if (nick == null) {
            pendingRegistrations.remove(user);
        } else {
            pendingRegistrations.put(user, nick);
        }
        changed = true;
    }

    /** Restores the requests a stored room had. */
    void restorePendingRegistrations(Map<EntityBareJid, String> pending) {
        pendingRegistrations.putAll(pending);
    }

    Map<EntityBareJid, String> registeredNicks() {
        return Map.copyOf(registeredNicks);
    }

    /** §7.12: the nickname {@code user} registered, or null. */
    String registeredNick(EntityBareJid user) {
        return registeredNicks.get(user);
    }

    /** §7.10: who registered {@code nick}, or null. */
    EntityBareJid registrantOf(String nick) {
        for (Map.Entry<EntityBareJid, String> entry : registeredNicks.entrySet()) {
            if (entry.getValue().equals(nick)) {
                return entry.getKey();
            }
        }
        return null;
    }

    /** §7.10: reserves {@code nick} for {@code user}, or (null) gives the reservation up. */
    void registerNick(EntityBareJid user, String nick) {
        if (nick == null) {
            registeredNicks.remove(user);
        } else {
            registeredNicks.put(user, nick);
        }
        changed = true;
    }

    /** True once since the last call if the lists or reservations changed. */
    boolean takeChanged() {
        boolean was = changed;
        changed = false;
        return was;
    }
}
