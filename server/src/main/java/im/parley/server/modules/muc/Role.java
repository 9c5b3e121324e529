package im.parley.server.modules.muc;

import java.util.Locale;

/** An occupant's role in a room, for the time of the visit (XEP-0045 §5.1). */
enum Role {
    MODERATOR, PARTICIPANT, VISITOR, NONE;

    /** The attribute value, e.g. {@code participant}. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role an attribute names, or null if it names none. */
    static Role parse(String value) {
        for (Role role : values()) {
            if (role.value().equals(value)) {
                return role;
            }
        }
        return null;
    }

    /** §5.1.1: visitors may not speak in a moderated room; the other roles may. */
    boolean hasVoice() {
        return this == MODERATOR || this == PARTICIPANT;
    }
}
