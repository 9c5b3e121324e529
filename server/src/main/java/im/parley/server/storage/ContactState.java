package im.parley.server.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * What one account knows about one contact: the roster item, if the contact is in the roster,
 * and the contact's unanswered subscription request, if any (the "pending in" state of RFC 6121
 * Appendix A, which exists with or without a roster item, §3.1.3).
 *
 * @param pendingRequest the XML of the most recent inbound {@code subscribe} presence
 */
public record ContactState(Optional<RosterItem> item, Optional<String> pendingRequest) {

    public static final ContactState UNKNOWN = new ContactState(Optional.empty(), Optional.empty());

    public ContactState {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(pendingRequest, "pendingRequest");
    }
}
