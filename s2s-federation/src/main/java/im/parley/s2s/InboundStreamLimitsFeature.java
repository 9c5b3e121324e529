package im.parley.s2s;

import im.parley.core.negotiation.AnnouncedFeature;
import im.parley.core.stream.StreamLimits;
import org.dom4j.Element;

/**
 * XEP-0478 (§3.1) on inbound server-to-server streams: {@code <limits/>} in the stream features,
 * but only in features whose figures hold for the rest of the stream: a peer keeps what it was
 * told until new features come (§4), and on a stream authenticated by dialback none come.
 *
 * <p>An inbound stream has two size limits. Until a domain is authenticated on it the decoder
 * takes {@code limits.max_stanza_size_before_auth}; once one is, {@code limits.max_stanza_size}.
 * After SASL EXTERNAL the stream restarts (RFC 6120 §6.4.6) and the new features are sent with
 * the larger limit already in force, for good: those features announce it. Dialback (XEP-0220)
 * raises the limit on the same stream, with no new features; so the features before
 * authentication (before TLS, and after it, offering dialback and SASL EXTERNAL) announce
 * nothing. Announcing the smaller limit there would be true for the moment and false for the
 * stream's life: a peer that honours it (Prosody 13 does) would refuse to send us, for as long
 * as its dialback stream lasts, every stanza between the two limits, which we accept.
 * Announcing the larger one would be false before authentication: a first-level element over
 * the smaller limit (a {@code db:result}, a SASL {@code <auth/>}) still ends the stream then.
 * Without {@code <limits/>} a peer sends as it did before XEP-0478.
 *
 * <p>{@code <idle-seconds/>}: an authenticated inbound stream is closed once nothing has passed
 * on it either way for twice {@code federation.idle_timeout} ({@link S2sChannelInitializer}), so
 * it may be closed that long after the peer's last traffic, never sooner: that figure is
 * announced, in whole seconds rounded down (not at all below one second).
 */
final class InboundStreamLimitsFeature extends AnnouncedFeature<InboundSession> {

    @Override
    public String name() {
        return "stream-limits";
    }

    @Override
    public Element advertise(InboundSession session) {
        if (!session.hasAnyAuthenticated()) {
            return null;
        }
        S2sSettings settings = session.settings();
        return StreamLimits.element(settings.maxStanzaBytes(), S2sChannelInitializer.inboundIdleTimeout(settings).toSeconds());
    }
}
