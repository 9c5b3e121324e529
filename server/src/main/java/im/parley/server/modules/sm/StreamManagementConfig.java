package im.parley.server.modules.sm;

import im.parley.server.module.ModuleContext;
import java.time.Duration;

/**
 * Stream management for client streams (XEP-0198): acknowledgements and resumption; the values
 * of the {@code stream_management} options ({@link StreamManagementModule}).
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

    /** The values of the {@code stream_management} options. */
    public static StreamManagementConfig of(ModuleContext context) {
        return new StreamManagementConfig(context.option(StreamManagementModule.ENABLED),
                context.option(StreamManagementModule.RESUME_TIMEOUT), context.option(StreamManagementModule.MAX_HIBERNATION),
                context.option(StreamManagementModule.MAX_UNACKED), context.option(StreamManagementModule.REQUEST_ACK_EVERY),
                context.option(StreamManagementModule.REQUEST_ACK_DELAY));
    }
}
