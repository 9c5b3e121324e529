package im.parley.server.modules.muc;

import java.util.Locale;

/** A user's long-lived relation to a room (XEP-0045 §5.2), ranked from owner down to outcast. */
enum Affiliation {
    OWNER, ADMIN, MEMBER, NONE, OUTCAST;

    /** The attribute value, e.g. {@code member}. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The affiliation an attribute names, or null if it names none. */
    static Affiliation parse(String value) {
        for (Affiliation affiliation : values()) {
            if (affiliation.value().equals(value)) {
                return affiliation;
            }
        }
        return null;
    }

    /** True if this affiliation ranks at least as high as {@code other}. */
    boolean atLeast(Affiliation other) {
        return ordinal() <= other.ordinal();
    }

    /** §5.1.2 (table 5): the role an occupant of this affiliation gets on entering a room. */
    Role defaultRole(boolean moderated) {
        return switch (this) {
            case OWNER, ADMIN -> Role.MODERATOR;
            case MEMBER -> Role.PARTICIPANT;
            case NONE -> moderated ? Role.VISITOR : Role.PARTICIPANT;
            case OUTCAST -> Role.NONE;
        };
    }
}
