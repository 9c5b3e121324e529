package im.parley.server.config;

import java.time.Duration;

/**
 * Stream management for client streams (XEP-0198): acknowledgements and resumption.
 *
 * @param enabled whether {@code <sm xmlns='urn:xmpp:sm:3'/>} is offered (XEP-0198 §2)
 * @param resumeTimeout how long a resumable session whose connection was lost stays hibernated,
 *     waiting for a {@code <resume/>} (XEP-0198 §5); a client asking for less ({@code max}) gets less
 * @param maxHibernation the longest any hibernation may be extended to (e.g. by push
 *     notifications, as Prosody and ejabberd allow up to 72 hours)
 * @param maxUnacked most stanzas kept for a session, sent but unacknowledged plus queued while
 *     hibernated; more end the session ({@code resource-constraint}) and the messages go to offline storage
 * @param requestAckEvery the server asks for an acknowledgement ({@code <r/>}, XEP-0198 §4) after
 *     this many unacknowledged stanzas
 * @param requestAckDelay ... or this long after the first unacknowledged stanza, whichever comes first
 */
public record StreamManagementConfig(boolean enabled, Duration resumeTimeout, Duration maxHibernation, int maxUnacked,
                                     int requestAckEvery, Duration requestAckDelay) {

    public static StreamManagementConfig defaults() {
        return new StreamManagementConfig(true, Duration.ofMinutes(5), Duration.ofHours(72), 1000, 5,
                Duration.ofSeconds(10));
    }

    public StreamManagementConfig withEnabled(boolean v) {
        return new StreamManagementConfig(v, resumeTimeout, maxHibernation, maxUnacked, requestAckEvery, requestAckDelay);
    }

    public StreamManagementConfig withResumeTimeout(Duration v) {
        return new StreamManagementConfig(enabled, v, maxHibernation, maxUnacked, requestAckEvery, requestAckDelay);
    }

    public StreamManagementConfig withMaxHibernation(Duration v) {
        return new StreamManagementConfig(enabled, resumeTimeout, v, maxUnacked, requestAckEvery, requestAckDelay);
    }

    public StreamManagementConfig withMaxUnacked(int v) {
        return new StreamManagementConfig(enabled, resumeTimeout, maxHibernation, v, requestAckEvery, requestAckDelay);
    }

    public StreamManagementConfig withRequestAckEvery(int v) {
        return new StreamManagementConfig(enabled, resumeTimeout, maxHibernation, maxUnacked, v, requestAckDelay);
    }

    public StreamManagementConfig withRequestAckDelay(Duration v) {
        return new StreamManagementConfig(enabled, resumeTimeout, maxHibernation, maxUnacked, requestAckEvery, v);
    }
}
