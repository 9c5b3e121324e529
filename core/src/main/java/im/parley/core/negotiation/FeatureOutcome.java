package im.parley.core.negotiation;

/** What processing one negotiation element led to (RFC 6120 §4.3). */
public enum FeatureOutcome {
    /** The feature needs more elements (a SASL challenge was sent, a failed attempt may be retried). */
    INCOMPLETE,
    /** The feature completed without a stream restart (e.g. resource binding, RFC 6120 §7). */
    SUCCESS,
    /** The feature completed and both sides restart the stream (STARTTLS §5.4.3.3, SASL §6.4.6). */
    RESTART,
    /** The feature ended the stream (a stream error was sent); nothing more is processed. */
    CLOSED
}
