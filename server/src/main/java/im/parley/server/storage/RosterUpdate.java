package im.parley.server.storage;

/**
 * The outcome of {@link RosterStore#update}: the contact's state before and after, and the
 * roster version after the change (raised only if the roster item changed, RFC 6121 §2.6).
 */
public record RosterUpdate(ContactState before, ContactState after, long version) {

    /** True if the roster item changed, i.e. the user's interested resources need a roster push (§2.1.6). */
    public boolean itemChanged() {
        return !before.item().equals(after.item());
    }
}
