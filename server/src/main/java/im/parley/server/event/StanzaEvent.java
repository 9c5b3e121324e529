package im.parley.server.event;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.server.session.LocalSession;
import java.util.Objects;

/**
 * A stanza passing through the handlers of one of its addressed events ({@link StanzaEvents}).
 * A handler may {@link #replace} the stanza that later handlers, and the delivery after them,
 * see (to add a {@code <stanza-id/>}, say); the original element is never modified (STYLE.md
 * #13: copy, change the copy, replace).
 *
 * <p>A handler that continues asynchronously for the stanza (storage, a lookup) defers that
 * work to {@link #work()}: the turn of the account the event is about (the recipient's for main
 * events, the sender's for {@code pre-} events), so that the account's later stanzas wait for it
 * (RFC 6120 §10.1) and the sender's stanza counts as handled (XEP-0198 §4) only when it is done.
 * Work it starts for someone else (a reply, a forwarded subscription) goes with
 * {@link #handling()}.
 */
public final class StanzaEvent {

    private final Stanza original;
    private volatile Stanza stanza;
    private final Handling handling;
    private final AccountWork work;
    private final LocalSession origin;
    private final boolean redelivery;

    /**
     * @param origin the local session that sent the stanza, or null when it came from elsewhere
     *     (a remote domain, a component, the server itself)
     */
    public StanzaEvent(Stanza stanza, Handling handling, AccountWork work, LocalSession origin) {
        this(stanza, handling, work, origin, false);
    }

    /**
     * @param redelivery true for a stanza this server delivered once already and routes again
     *     (see {@link #isRedelivery()})
     */
    public StanzaEvent(Stanza stanza, Handling handling, AccountWork work, LocalSession origin, boolean redelivery) {
        this.original = Objects.requireNonNull(stanza, "stanza");
        this.stanza = stanza;
        this.handling = Objects.requireNonNull(handling, "handling");
        this.work = Objects.requireNonNull(work, "work");
        this.origin = origin;
        this.redelivery = redelivery;
    }

    /** The stanza as the handlers before this one left it. */
    public Stanza stanza() {
        return stanza;
    }

    /**
     * The stanza as the event was fired, before any handler replaced it: what the sender sent
     * (a hint a handler strips before delivery, such as XEP-0280's {@code <private/>}, is still
     * there).
     */
    public Stanza original() {
        return original;
    }

    /**
     * Passes {@code replacement} on instead of the current stanza: later handlers and the
     * default delivery see it. The replacement is a new element (a changed copy), never the
     * current one modified.
     */
    public void replace(Stanza replacement) {
        this.stanza = Objects.requireNonNull(replacement, "replacement");
    }

    /** Where the stanza's asynchronous work is tracked (XEP-0198 acknowledgement). */
    public Handling handling() {
        return handling;
    }

    /** The turn of the account the event is about, for work deferred within it. */
    public AccountWork work() {
        return work;
    }

    /** The local client session that sent the stanza, or null if it did not come from one. */
    public LocalSession origin() {
        return origin;
    }

    /**
     * True if the stanza already went through its recipient's handlers once, was delivered to a
     * session, and comes back because that session ended without the client acknowledging it
     * (XEP-0198 §5): what the handlers added the first time (the archive's {@code <stanza-id/>})
     * is the server's own, and what they stored then (the archived copy) is stored already.
     */
    public boolean isRedelivery() {
        return redelivery;
    }

    @Override
    public String toString() {
        return stanza.element().asXML();
    }
}
