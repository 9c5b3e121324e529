package im.parley.server.modules.adhoc;

import im.parley.core.stream.StanzaErrorCondition;

/**
 * A command request refused with a stanza error (XEP-0050 §4.4): the general condition and, for
 * the conditions XEP-0050 defines, its specific one ({@code bad-payload}, {@code bad-action}, ...).
 * A command throws it, or fails its stage with it, to refuse what the requester submitted; the
 * session stays open, so the requester can submit again.
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final StanzaErrorCondition condition;
    private final String specific;

    public CommandException(StanzaErrorCondition condition, String specific, String text) {
        super(text, null, false, false);
        this.condition = condition;
        this.specific = specific;
    }

    /** {@code bad-request} with {@code <bad-payload/>}: the form lacks a required field or has a wrong value. */
    public static CommandException badPayload(String text) {
        return new CommandException(StanzaErrorCondition.BAD_REQUEST, "bad-payload", text);
    }

    public StanzaErrorCondition condition() {
        return condition;
    }

    /** The element name of the specific condition in the commands namespace, or null. */
    public String specific() {
        return specific;
    }
}
