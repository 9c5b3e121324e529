package im.parley.server.event;

import im.parley.core.routing.Handling;
import im.parley.core.routing.Stanza;
import im.parley.server.session.LocalSession;

/**
 * The stanza events the router fires (after Prosody's {@code pre-*} / {@code message/bare}
 * events). Feature modules hook them with a priority; the router's default behaviour runs only
 * when no handler returns {@link Verdict#HANDLED}.
 */
public final class StanzaEvents {

    /**
     * A stanza sent by a local client, after {@code from} was stamped, before routing. A handler
     * that continues asynchronously defers the work to {@code work} (the sender's account's turn);
     * work it starts elsewhere for the stanza (a reply to another account) goes with
     * {@code handling}.
     */
    public record Outbound(Stanza stanza, LocalSession origin, Handling handling, AccountWork work) {
    }

    /**
     * A stanza addressed to a local account (its bare JID or one of its full JIDs). A handler
     * that continues asynchronously (storage, a lookup) defers the work to {@code work}, the
     * recipient account's turn: the account's later stanzas wait for it, and the sender's stanza
     * counts as handled (XEP-0198 §4) only when it is done.
     */
    public record Inbound(Stanza stanza, Handling handling, AccountWork work) {
    }

    /** Any stanza from a local client (presence broadcast, subscriptions, blocking, ...). */
    public static final EventType<Outbound> OUTBOUND = EventType.named("stanza/outbound");
    /** Presence to a local account, before default delivery (subscriptions, probes). */
    public static final EventType<Inbound> PRESENCE_INBOUND = EventType.named("presence/inbound");
    /** A message to a local account, before default delivery (blocking, carbons). */
    public static final EventType<Inbound> MESSAGE_INBOUND = EventType.named("message/inbound");
    /** An IQ to a local full JID, or from someone else to an account's bare JID, before delivery (blocking). */
    public static final EventType<Inbound> IQ_INBOUND = EventType.named("iq/inbound");
    /**
     * A message for a local account with no resource to take it (RFC 6121 §8.5.2.2.1): offline
     * storage handles it; unhandled, the sender gets {@code service-unavailable}.
     */
    public static final EventType<Inbound> MESSAGE_OFFLINE = EventType.named("message/offline");

    private StanzaEvents() {
    }
}
