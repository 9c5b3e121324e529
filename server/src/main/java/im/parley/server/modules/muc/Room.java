package im.parley.server.modules.muc;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.offline.DelayStamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * occupant use cases that change them (XEP-0045 §7). Everything here runs in the room's turn
 * (the router's turn of the room's bare JID, {@link MucService}): one stanza at a time, never
 * blocking. What the room sends goes to {@code out}, in order.
 */
final class Room {

    private final EntityBareJid jid;
    private final Consumer<Stanza> out;
    private final Clock clock;
    private final MucLimits limits;
    private final Set<EntityBareJid> serviceAdmins;
    private final OccupantIds occupantIds;
    private volatile RoomConfig config;
    private final RoomMembers members;
    private final Map<String, Occupant> byNick = new LinkedHashMap<>();
    private final Map<Jid, Occupant> bySession = new HashMap<>();
    private volatile int occupantCount;
    private final RoomHistory history = new RoomHistory();
    private RoomSubject subject;
    private EntityFullJid subjectJid;
    /** The room's vCard as XML (XEP-0153 avatars, {@link RoomVcard}), or null; and its photo's hash. */
    private String vcard;
    private String photoHash = "";
    /** §10.1.2: a room a user just created stays locked until its owner configures it. */
    private volatile boolean locked;
    private boolean destroyed;
    private boolean changed;
    /** When the room last handled a stanza: an empty persistent room unloads after a while of none. */
    private volatile java.time.Instant lastUsed;

    Room(EntityBareJid jid, RoomConfig config, Map<EntityBareJid, Affiliation> affiliations,
         Map<EntityBareJid, String> registeredNicks, RoomSubject subject, RoomServices services) {
        this.jid = jid;
        this.config = config;
        this.members = new RoomMembers(affiliations, registeredNicks);
        this.subject = subject;
        this.out = services.out();
        this.clock = services.clock();
        this.limits = services.limits();
        this.serviceAdmins = services.admins();
        this.occupantIds = services.occupantIds();
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
        return occupantCount;
    }

    boolean isEmpty() {
        return byNick.isEmpty();
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
        return config.persistent() && !locked && !destroyed && byNick.isEmpty()
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
        Occupant holder = byNick.get(nick);
        return registrant != null && !registrant.equals(user) || holder != null && !holder.user().equals(user);
    }

    void configure(RoomConfig newConfig) {
        config = newConfig;
        history.trim(newConfig.historyLength());
        changed = true;
    }

    Occupant occupant(String nick) {
        return byNick.get(nick);
    }

    Occupant occupantOf(Jid session) {
        return bySession.get(session);
    }

    Collection<Occupant> occupants() {
        return List.copyOf(byNick.values());
    }

    EntityFullJid occupantJid(String nick) {
        try {
            return JidCreate.entityFullFrom(jid, Resourcepart.from(nick));
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalArgumentException("not a nick: " + nick, e);
        }
    }

    /** The occupant JID a presence went to, as the router parsed it (no second stringprep). */
    private EntityFullJid addressed(Stanza presence, String nick) {
        EntityFullJid to = presence.to().asEntityFullJidIfPossible();
        return to != null ? to : occupantJid(nick);
    }

    // ---- presence (§7.2, §7.6, §7.7, §7.14) ----

    /** A presence from a user to one of the room's occupant JIDs. */
    void presence(Stanza presence, boolean created) {
        Jid session = presence.from();
        String nick = presence.to().getResourceOrNull().toString();
        Occupant occupant = bySession.get(session);
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
            join(presence, nick, created);
        } else if (occupant.nick().equals(nick)) {
            occupant.presence(session, presence.element());
            broadcastPresence(occupant, List.of());
        } else {
            changeNick(presence, occupant, nick);
        }
    }

    /** §7.2: a user enters, or checks the rules that keep it out. */
    private void join(Stanza presence, String nick, boolean created) {
        Jid session = presence.from();
        EntityBareJid user = session.asEntityBareJidIfPossible();
        if (user == null) {
            reject(presence, StanzaErrorCondition.BAD_REQUEST, "only users may enter a room");
            return;
        }
        Affiliation affiliation = affiliation(user);
        Element mucX = presence.element().element(org.dom4j.QName.get("x", MucNamespaces.MUC_NS));
        Occupant sameNick = byNick.get(nick);
        if (locked && affiliation != Affiliation.OWNER) {
            // §7.2.11: nobody but the owner enters a room that is not yet configured.
            reject(presence, StanzaErrorCondition.ITEM_NOT_FOUND, "the room is locked until its owner configures it");
        } else if (affiliation == Affiliation.OUTCAST) {
            reject(presence, StanzaErrorCondition.FORBIDDEN, "you are banned from this room");                 // §7.2.8
        } else if (config.membersOnly() && !affiliation.atLeast(Affiliation.MEMBER)) {
            reject(presence, StanzaErrorCondition.REGISTRATION_REQUIRED, "this room is for members only"); // §7.2.7
        } else if (config.passwordProtected() && !config.password().equals(password(mucX))) {
            reject(presence, StanzaErrorCondition.NOT_AUTHORIZED, "a password is required to enter this room"); // §7.2.6
        } else if (nickTakenFrom(user, nick)) {
            // §7.2.9, §7.12: in use by another occupant, or registered by another user.
            reject(presence, StanzaErrorCondition.CONFLICT, sameNick != null && !sameNick.user().equals(user)
                    ? "this nickname is in use in the room" : "this nickname is registered to another user");
        } else if (sameNick == null && occupantCount >= maxOccupants() && !affiliation.atLeast(Affiliation.ADMIN)) {
            reject(presence, StanzaErrorCondition.SERVICE_UNAVAILABLE,
                    "the room is full (" + maxOccupants() + " occupants)");                                // §7.2.10
        } else {
            enter(presence, nick, user, affiliation, sameNick, mucX, created);
        }
    }

    private int maxOccupants() {
        int max = config.maxUsers();
        return max == 0 ? limits.maxOccupants() : Math.min(max, limits.maxOccupants());
    }

    private static String password(Element mucX) {
        String password = mucX == null ? null : mucX.elementText("password");
        return password == null ? "" : password;
    }

    private void enter(Stanza presence, String nick, EntityBareJid user, Affiliation affiliation, Occupant existing,
                       Element mucX, boolean created) {
        Jid session = presence.from();
        Occupant occupant = existing;
        if (occupant == null) {
            occupant = new Occupant(user, occupantIds.of(jid, user), nick, addressed(presence, nick),
                    affiliation.defaultRole(config.moderated()));
            byNick.put(nick, occupant);
            occupantCount = byNick.size();
        }
        occupant.presence(session, presence.element());
        bySession.put(session, occupant);
        // §7.2.3: the others' presence first, then the newcomer's to the others, then its self-presence.
        for (Occupant other : byNick.values()) {
            if (other != occupant && config.broadcast().contains(other.role())) {
                send(presenceOf(other, session, occupant.role(), List.of()));
            }
        }
        if (existing == null) {
            broadcastPresence(occupant, List.of(), session);
        }
        List<Integer> codes = new ArrayList<>(List.of(OccupantPresence.SELF));
        if (config.nonAnonymous()) {
            codes.add(0, OccupantPresence.NON_ANONYMOUS);                                     // §7.2.4
        }
        if (config.archived()) {
            // §7.2.12: "the service ... MUST also warn the user that the discussions are logged":
            // the room's archive keeps them for whoever may read it later (RoomArchive).
            codes.add(OccupantPresence.LOGGED);
        }
        if (created) {
            codes.add(OccupantPresence.CREATED);                                               // §10.1.1
        }
        send(selfPresence(occupant, session, false, null, codes));
        sendHistory(session, HistoryRequest.of(mucX));
        sendSubject(session, true);
        if (!photoHash.isEmpty()) {
            send(RoomVcard.presence(this, session));                                      // XEP-0153 §4.1
        }
    }

    /** §7.6: an occupant takes another nick: unavailable with 303 and the new nick, then available. */
    private void changeNick(Stanza presence, Occupant occupant, String newNick) {
        Occupant holder = byNick.get(newNick);
        if (nickTakenFrom(occupant.user(), newNick)) {
            // §7.6: in use; §7.12: registered to another user.
            reject(presence, StanzaErrorCondition.CONFLICT, "this nickname is in use or registered in the room");
            return;
        }
        if (holder != null || occupant.sessions().size() > 1) {
            reject(presence, StanzaErrorCondition.NOT_ACCEPTABLE,
                    "close your other sessions in the room before changing the nickname");
            return;
        }
        for (Occupant other : byNick.values()) {
            for (Jid to : other.sessions()) {
                boolean self = other == occupant;
                send(about(occupant, to, null, true, affiliation(occupant.user()),
                        occupant.role(), realJidFor(occupant, other), newNick, self
                                ? List.of(OccupantPresence.NEW_NICK, OccupantPresence.SELF)
                                : List.of(OccupantPresence.NEW_NICK)));
            }
        }
        byNick.remove(occupant.nick());
        occupant.nick(newNick, addressed(presence, newNick));
        byNick.put(newNick, occupant);
        occupant.presence(presence.from(), presence.element());
        broadcastPresence(occupant, List.of());
    }

    /** §7.14: a session leaves; the occupant leaves with its last session. */
    void exit(Occupant occupant, Jid session, Element unavailable, List<Integer> codes) {
        List<Integer> selfCodes = new ArrayList<>(codes);
        selfCodes.add(OccupantPresence.SELF);
        send(selfPresence(occupant, session, true, unavailable, selfCodes));
        bySession.remove(session);
        if (occupant.leave(session)) {
            byNick.remove(occupant.nick());
            occupantCount = byNick.size();
            for (Occupant other : byNick.values()) {
                for (Jid to : other.sessions()) {
                    send(about(occupant, to, unavailable, true,
                            affiliation(occupant.user()), Role.NONE, realJidFor(occupant, other), null, codes));
                }
            }
        } else {
            broadcastPresence(occupant, List.of());
        }
    }

    /**
     * Removes an occupant with all its sessions (kick §8.2, ban §9.1): each session and every
     * other occupant get its unavailable presence with role none, {@code itemChildren} (actor,
     * reason) in the item and the status codes.
     */
    void remove(Occupant occupant, List<Integer> codes, List<Element> itemChildren) {
        for (Jid session : occupant.sessions()) {
            Stanza presence = selfPresence(occupant, session, true, null, withSelf(codes));
            itemChildren.forEach(child -> item(presence.element()).add(child.createCopy()));
            send(presence);
            bySession.remove(session);
        }
        byNick.remove(occupant.nick());
        occupantCount = byNick.size();
        for (Occupant other : byNick.values()) {
            for (Jid to : other.sessions()) {
                Stanza presence = about(occupant, to, null, true,
                        affiliation(occupant.user()), Role.NONE, realJidFor(occupant, other), null, codes);
                itemChildren.forEach(child -> item(presence.element()).add(child.createCopy()));
                send(presence);
            }
        }
    }

    /** §10.9: the room is destroyed; each session of the occupant learns it, with the alternate venue. */
    void destroyNotice(Occupant occupant, Element destroy) {
        for (Jid session : occupant.sessions()) {
            Stanza presence = about(occupant, session, null, true,
                    Affiliation.NONE, Role.NONE, null, null, List.of(OccupantPresence.SELF));
            Element x = presence.element().element(org.dom4j.QName.get("x", MucNamespaces.USER_NS));
            x.elements().add(1, destroy.createCopy());
            send(presence);
            bySession.remove(session);
        }
        byNick.remove(occupant.nick());
        occupantCount = byNick.size();
    }

    private static Element item(Element presence) {
        return presence.element(org.dom4j.QName.get("x", MucNamespaces.USER_NS)).element("item");
    }

    private static List<Integer> withSelf(List<Integer> codes) {
        List<Integer> all = new ArrayList<>(codes);
        all.add(OccupantPresence.SELF);
        return all;
    }

    /** The occupant's current presence to everyone in the room (its own sessions with status 110). */
    void broadcastPresence(Occupant occupant, List<Integer> codes) {
        broadcastPresence(occupant, codes, null);
        for (Jid session : occupant.sessions()) {
            send(selfPresence(occupant, session, false, null, withSelf(codes)));
        }
    }

    /** To the others, if the occupant's role is broadcast (§7.2.3); {@code except} gets none. */
    private void broadcastPresence(Occupant occupant, List<Integer> codes, Jid except) {
        if (!config.broadcast().contains(occupant.role())) {
            return;
        }
        for (Occupant other : byNick.values()) {
            if (other == occupant) {
                continue;
            }
            for (Jid to : other.sessions()) {
                if (!to.equals(except)) {
                    send(presenceOf(occupant, to, other.role(), codes));
                }
            }
        }
    }

    /**
     * A presence about the occupant (see {@link OccupantPresence#of}), with its occupant id
     * (XEP-0421 §3), addressed with the JIDs the room already has (none is parsed again).
     */
    private Stanza about(Occupant occupant, Jid to, Element source, boolean unavailable, Affiliation affiliation,
                         Role role, Jid realJid, String newNick, List<Integer> codes) {
        Element presence = OccupantPresence.of(occupant.jid(), to, source, unavailable, affiliation, role,
                realJid, newNick, codes);
        OccupantIds.stamp(presence, occupant.occupantId());
        return new Stanza(presence, occupant.jid(), to);
    }

    private Stanza presenceOf(Occupant occupant, Jid to, Role recipientRole, List<Integer> codes) {
        Jid realJid = config.nonAnonymous() || recipientRole == Role.MODERATOR ? occupant.realJid() : null;
        return about(occupant, to, occupant.presence(), false,
                affiliation(occupant.user()), occupant.role(), realJid, null, codes);
    }

    private Stanza selfPresence(Occupant occupant, Jid session, boolean unavailable, Element source,
                                 List<Integer> codes) {
        Element presence = source != null || unavailable ? source : occupant.presence();
        return about(occupant, session, presence, unavailable,
                affiliation(occupant.user()), unavailable ? Role.NONE : occupant.role(), session, null, codes);
    }

    /** §7.2.4/§7.2.5: the real JID in presence to {@code recipient}, if it may see it. */
    private Jid realJidFor(Occupant occupant, Occupant recipient) {
        return config.nonAnonymous() || recipient == occupant || recipient.role() == Role.MODERATOR
                ? occupant.realJid() : null;
    }

    private void reject(Stanza stanza, StanzaErrorCondition condition, String text) {
        Bounces.reply(stanza, StanzaError.of(condition, text)).ifPresent(out);
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

    private void sendHistory(Jid to, HistoryRequest request) {
        for (RoomHistory.Entry entry : history.select(request, clock.instant(), config.historyLength())) {
            Element message = entry.message().createCopy();
            message.addAttribute("to", to.toString());
            DelayStamp.add(message, jid, entry.time());
            send(new Stanza(message, entry.from(), to));
        }
    }

    /**
     * §7.2.15: the subject, even when there is none (an empty {@code <subject/>}), ends the join;
     * on joining ({@code joining}) it carries the time it was set, as a {@code <delay/>} from the
     * room (XEP-0203), where a change (§8.1) goes out live without one.
     */
    void sendSubject(Jid to, boolean joining) {
        Element message = org.dom4j.DocumentHelper.createElement(
                org.dom4j.QName.get("message", im.parley.core.stream.Namespaces.CLIENT));
        message.addAttribute("type", "groupchat");
        Jid from = subject.nick() == null ? jid : subjectFrom();
        message.addAttribute("from", from.toString());
        message.addAttribute("to", to.toString());
        message.addElement("subject").setText(subject.text() == null ? "" : subject.text());
        if (joining && subject.stamp() != null) {
            DelayStamp.add(message, jid, subject.stamp());
        }
        send(new Stanza(message, from, to));
    }

    /** The occupant JID of who set the subject, made once per subject rather than per newcomer. */
    private Jid subjectFrom() {
        if (subjectJid == null || !subjectJid.getResourcepart().toString().equals(subject.nick())) {
            subjectJid = occupantJid(subject.nick());
        }
        return subjectJid;
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
