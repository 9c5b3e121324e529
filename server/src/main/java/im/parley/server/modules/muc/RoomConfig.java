package im.parley.server.modules.muc;

import java.util.EnumSet;
import java.util.Set;

/**
 * A room's configuration: the standard fields of the {@code muc#roomconfig} form (XEP-0045 §10.2,
 * §15.5.3). Immutable; a change makes a new one.
 *
 * @param maxUsers most occupants at once; 0: as many as the service allows
 * @param historyLength how many messages a newcomer gets by default (§7.2.14, {@code muc#maxhistoryfetch})
 * @param broadcast the roles whose presence the other occupants get (§7.2.3)
 * @param password the secret when {@code passwordProtected}, else null
 * @param archiving whether a persistent room keeps its messages (XEP-0313; {@code muc#roomconfig_enablearchiving},
 *                  or {@code muc#roomconfig_enablelogging}: the archive is the room's log, XEP-0045 §7.2.12)
 */
record RoomConfig(String name, String description, boolean persistent, boolean publicRoom, boolean membersOnly,
                  boolean moderated, boolean passwordProtected, String password, Whois whois, int maxUsers,
                  boolean changeSubject, boolean allowInvites, int historyLength, Set<Role> broadcast,
                  PrivateMessages allowPm, boolean archiving) {

    /** Who may see occupants' real JIDs (§4.2 non-anonymous and semi-anonymous rooms). */
    enum Whois {
        MODERATORS, ANYONE;

        String value() {
            return this == ANYONE ? "anyone" : "moderators";
        }
    }

    /** Who may send private messages in the room ({@code muc#roomconfig_allowpm}, §7.5). */
    enum PrivateMessages {
        ANYONE("anyone"), PARTICIPANTS("participants"), MODERATORS("moderators"), NONE("none");

        private final String value;

        PrivateMessages(String value) {
            this.value = value;
        }

        String value() {
            return value;
        }

        static PrivateMessages parse(String value) {
            for (PrivateMessages allowed : values()) {
                if (allowed.value.equals(value)) {
                    return allowed;
                }
            }
            return null;
        }

        /** True if an occupant of {@code role} may send a private message. */
        boolean allows(Role role) {
            return switch (this) {
                case ANYONE -> role != Role.NONE;
                case PARTICIPANTS -> role.hasVoice();
                case MODERATORS -> role == Role.MODERATOR;
                case NONE -> false;
            };
        }
    }

    RoomConfig {
        broadcast = broadcast.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(broadcast);
        if (!passwordProtected) {
            password = null;
        }
    }

    /** What a new room starts with (and an instant room keeps, §10.1.2): temporary, public, open, unmoderated, semi-anonymous. */
    static RoomConfig defaults(int historyLength) {
        return new RoomConfig("", "", false, true, false, false, false, null, Whois.MODERATORS, 0, false, true,
                historyLength, EnumSet.of(Role.MODERATOR, Role.PARTICIPANT, Role.VISITOR), PrivateMessages.ANYONE,
                true);
    }

    RoomConfig withPersistent(boolean persistent) {
        return new RoomConfig(name, description, persistent, publicRoom, membersOnly, moderated, passwordProtected,
                password, whois, maxUsers, changeSubject, allowInvites, historyLength, broadcast, allowPm, archiving);
    }

    /** Whether the room's messages go to its archive: a persistent room's, unless turned off. */
    boolean archived() {
        return persistent && archiving;
    }

    boolean nonAnonymous() {
        return whois == Whois.ANYONE;
    }
}
