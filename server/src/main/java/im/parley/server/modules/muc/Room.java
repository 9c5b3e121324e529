package im.parley.server.modules.muc;

import im.parley.core.routing.Stanza;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * One room's state: configuration, affiliations, occupants, history and subject, and the
 * occupant use cases that change them (XEP-0045 §7): entering ({@link RoomEntry}), nick changes
 * ({@link NickChange}), leaving ({@link RoomExits}), with the presences of {@link PresenceBroadcast}
 * and the history and subject of {@link RoomBacklog}. Everything here runs in the room's turn
 * (the router's turn of the room's bare JID, {@link MucService}): one stanza at a time, never
 * blocking. What the room sends goes to {@code out}, in order.
 */
final class Room {

    private final EntityBareJid jid;
    private final Consumer<Stanza> out;
    private final Clock clock;
    private final Set<EntityBareJid> serviceAdmins;
    private volatile RoomConfig config;
    private final RoomMembers members;
    private final RoomOccupants occupants = new RoomOccupants();
    private final RoomHistory history = new RoomHistory();
    private RoomSubject subject;
    /** The room's vCard as XML (XEP-0153 avatars, {@link RoomVcard}), or null; and its photo's hash. */
    private String vcard;
    private String photoHash = "";
    /** §10.1.2: a room a user just created stays locked until its owner configures it. */
    private volatile boolean locked;
    private boolean destroyed;
    private boolean changed;
    /** When the room last handled a stanza: an empty persistent room unloads after a while of none. */
    private volatile java.time.Instant lastUsed;
    private final PresenceBroadcast broadcast;
    private final RoomBacklog backlog;
    private final RoomEntry entry;
    private final NickChange nickChange;
    private final RoomExits exits;

    Room(EntityBareJid jid, RoomConfig config, Map<EntityBareJid, Affiliation> affiliations,
         Map<EntityBareJid, String> registeredNicks, RoomSubject subject, RoomServices services) {
        this.jid = jid;
        this.config = config;
        this.members = new RoomMembers(affiliations, registeredNicks);
        this.subject = subject;
        this.out = services.out();
        this.clock = services.clock();
        this.serviceAdmins = services.admins();
        this.broadcast = new PresenceBroadcast(this, occupants, out);
        this.backlog = new RoomBacklog(this, history, clock, out);
        this.entry = new RoomEntry(this, occupants, broadcast, backlog, services);
        this.nickChange = new NickChange(this, occupants, broadcast, out);
        this.exits = new RoomExits(this, occupants, broadcast, out);
    }

    EntityBareJid jid() {
        return jid;
    }

    RoomConfig config() {
        return config;
    }

    boolean locked() {
        return locked;
    }

    void lock() {
        locked = true;
    }

    void unlock() {
        locked = false;
    }

    int occupantCount() {
        return occupants.count();
    }

    boolean isEmpty() {
        return occupants.isEmpty();
    }

    boolean destroyed() {
        return destroyed;
    }

    RoomSubject subject() {
        return subject;
    }

    /** The room's lists, registered nicks and pending registrations. */
    RoomMembers members() {
        return members;
    }

    /** Marks the room as used now (it handled a stanza). */
    void used() {
        lastUsed = clock.instant();
    }

    /**
     * True if the room may leave memory: persistent, configured, without occupants and unused
     * since {@code idleSince}; everything it keeps is in the database, so it loads again as it was.
     */
    boolean unloadable(java.time.Instant idleSince) {
        return config.persistent() && !locked && !destroyed && occupants.isEmpty()
                && (lastUsed == null || !lastUsed.isAfter(idleSince));
    }

    /** The newest messages of the room's archive, oldest first, as the room's history after a load. */
    void restoreHistory(List<RoomHistory.Entry> entries) {
        for (RoomHistory.Entry entry : entries) {
            history.add(entry.message(), entry.from(), entry.time(), config.historyLength());
        }
    }

    /** True once since the last call if something a persistent room keeps has changed. */
    boolean takeChanged() {
        boolean was = members.takeChanged() | changed;
        changed = false;
        return was;
    }

    /** A service-wide admin is an owner of every room (as in Prosody). */
    Affiliation affiliation(EntityBareJid user) {
        if (serviceAdmins.contains(user)) {
            return Affiliation.OWNER;
        }
        return members.affiliation(user);
    }

    /** True if {@code nick} is reserved (§7.10) or used by someone other than {@code user}. */
    boolean nickTakenFrom(EntityBareJid user, String nick) {
        EntityBareJid registrant = members.registrantOf(nick);
        Occupant holder = occupants.byNick(nick);
        return registrant != null && !registrant.equals(user) || holder != null && !holder.user().equals(user);
    }

    void configure(RoomConfig newConfig) {
        config = newConfig;
        history.trim(newConfig.historyLength());
        changed = true;
    }

    Occupant occupant(String nick) {
        return occupants.byNick(nick);
    }

    Occupant occupantOf(Jid session) {
        return occupants.bySession(session);
    }

    Collection<Occupant> occupants() {
        return occupants.copy();
    }

    EntityFullJid occupantJid(String nick) {
        try {
            return JidCreate.entityFullFrom(jid, Resourcepart.from(nick));
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalArgumentException("not a nick: " + nick, e);
        }
    }

    /** The occupant JID a presence went to, as the router parsed it (no second stringprep). */
    EntityFullJid addressed(Stanza presence, String nick) {
        EntityFullJid to = presence.to().asEntityFullJidIfPossible();
        return to != null ? to : occupantJid(nick);
    }

    // ---- presence (§7.2, §7.6, §7.7, §7.14) ----

    /** A presence from a user to one of the room's occupant JIDs. */
    void presence(Stanza presence, boolean created) {
        Jid session = presence.from();
        String nick = presence.to().getResourceOrNull().toString();
        Occupant occupant = occupants.bySession(session);
        String type = presence.type();
        if ("unavailable".equals(type)) {
            if (occupant != null) {
                exit(occupant, session, presence.element(), List.of());
            }
            return;
        }
        if ("error".equals(type)) {
            if (occupant != null) {
                exit(occupant, session, null, List.of(OccupantPresence.REMOVED_BY_ERROR));
            }
            return;
        }
        if (type != null) {
            return;
        }
        if (occupant == null) {
            entry.join(presence, nick, created);
        } else if (occupant.nick().equals(nick)) {
            occupant.presence(session, presence.element());
            broadcastPresence(occupant, List.of());
        } else {
            nickChange.change(presence, occupant, nick);
        }
    }

    /** §7.14: a session leaves ({@link RoomExits#exit}). */
    void exit(Occupant occupant, Jid session, Element unavailable, List<Integer> codes) {
        exits.exit(occupant, session, unavailable, codes);
    }

    /** Kick (§8.2) or ban (§9.1): the occupant goes with all its sessions ({@link RoomExits#remove}). */
    void remove(Occupant occupant, List<Integer> codes, List<Element> itemChildren) {
        exits.remove(occupant, codes, itemChildren);
    }

    /** §10.9: the occupant learns that the room is destroyed ({@link RoomExits#destroyNotice}). */
    void destroyNotice(Occupant occupant, Element destroy) {
        exits.destroyNotice(occupant, destroy);
    }

    /** The occupant's current presence to everyone in the room ({@link PresenceBroadcast#broadcast}). */
    void broadcastPresence(Occupant occupant, List<Integer> codes) {
        broadcast.broadcast(occupant, codes);
    }

    // ---- history and subject (§7.2.14 to §7.2.16) ----

    void remember(Element broadcast, Jid from) {
        history.add(broadcast, from, clock.instant(), config.historyLength());
    }

    /** A message still in the history, by the id of the room's {@code <stanza-id/>}, or null. */
    Element remembered(String stanzaId) {
        return history.find(stanzaId);
    }

    /** Puts {@code replacement} in the place of a message in the history (a tombstone, XEP-0425). */
    void rememberInstead(String stanzaId, Element replacement) {
        history.replace(stanzaId, replacement);
    }

    /** §7.2.15, §8.1: the subject to {@code to} ({@link RoomBacklog#sendSubject}). */
    void sendSubject(Jid to, boolean joining) {
        backlog.sendSubject(to, joining);
    }

    void subject(String text, String nick) {
        subject = new RoomSubject(text, nick, clock.instant());
        changed = true;
    }

    String vcard() {
        return vcard;
    }

    String photoHash() {
        return photoHash;
    }

    /** An owner's new vCard (null: none); kept if the room is persistent. */
    void vcard(String xml) {
        restoreVcard(xml);
        changed = true;
    }

    /** The vCard a stored room had. */
    void restoreVcard(String xml) {
        vcard = xml;
        photoHash = RoomVcard.photoHash(xml);
    }

    /** Marks the room destroyed (§10.9): its occupants are gone and it takes no more stanzas. */
    void destroyed(boolean value) {
        destroyed = value;
    }

    /** Sends a stanza the room built ({@code from} and {@code to} set on the element). */
    void send(Element element) {
        out.accept(new Stanza(element, jid(element.attributeValue("from")), jid(element.attributeValue("to"))));
    }

    /** An address the room built itself: invalid only through a bug. */
    static Jid jid(String address) {
        try {
            return JidCreate.from(address);
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalStateException("the room built an invalid address: " + address, e);
        }
    }

    void send(Stanza stanza) {
        out.accept(stanza);
    }
}
