package im.parley.server.storage;

import java.util.Locale;

/**
 * The subscription of a roster item (RFC 6121 §2.1.2.5): whether the user receives the
 * contact's presence ({@link #TO}), the contact receives the user's ({@link #FROM}), both or
 * neither. The pending halves of Appendix A are kept beside it, not in it.
 */
public enum Subscription {
    NONE(false, false),
    TO(true, false),
    FROM(false, true),
    BOTH(true, true);

    private final boolean to;
    private final boolean from;

    Subscription(boolean to, boolean from) {
        this.to = to;
        this.from = from;
    }

    /** True if the user receives the contact's presence ("to" or "both"). */
    public boolean hasTo() {
        return to;
    }

    /** True if the contact receives the user's presence ("from" or "both"). */
    public boolean hasFrom() {
        return from;
    }

    public Subscription withTo(boolean value) {
        return of(value, from);
    }

    public Subscription withFrom(boolean value) {
        return of(to, value);
    }

    public static Subscription of(boolean to, boolean from) {
        return to ? (from ? BOTH : TO) : (from ? FROM : NONE);
    }

    /** The value of the {@code subscription} attribute. */
    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Subscription fromAttributeValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
