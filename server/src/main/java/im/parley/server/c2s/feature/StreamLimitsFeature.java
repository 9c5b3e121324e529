package im.parley.server.c2s.feature;

import im.parley.core.negotiation.AnnouncedFeature;
import im.parley.core.stream.StreamLimits;
import im.parley.server.c2s.C2sSession;
import im.parley.server.config.LimitsConfig;
import org.dom4j.Element;

/**
 * Announces the largest top-level element the server accepts on this stream (XEP-0478 §3,
 * {@code <max-bytes/>}), so that a client can shrink or refuse what would not fit (an avatar, a
 * vCard) instead of losing its stream to a {@code policy-violation} (RFC 6120 §4.9.3.14). The
 * figure is the one in force when the features are sent: {@code limits.max_stanza_size_before_auth}
 * before authentication, {@code limits.max_stanza_size} after (SASL success restarts the stream,
 * and its new features carry the new limit). No {@code <idle-seconds/>}: a client stream is not
 * ended for being idle (only its parser is released, which the client does not see).
 */
public final class StreamLimitsFeature extends AnnouncedFeature<C2sSession> {

    @Override
    public String name() {
        return "stream-limits";
    }

    @Override
    public Element advertise(C2sSession session) {
        LimitsConfig limits = session.context().limits();
        int maxBytes = session.isAuthenticated() ? limits.maxStanzaSize() : limits.maxStanzaSizeBeforeAuth();
        return StreamLimits.element(maxBytes, 0);
    }
}
