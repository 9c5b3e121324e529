package im.parley.server.modules.muc;

import java.time.Instant;

/**
 * A room's subject (XEP-0045 §8.1): its text, the nick of who set it, and when. {@link #NONE}
 * for a room whose subject was never set; {@code text} is null when it was cleared.
 *
 * <p>The time goes with the subject a newcomer receives, as a {@code <delay/>} (XEP-0203) from
 * the room (XEP-0045 §7.2.15, since version 1.34: "SHOULD"), so that a client does not show an
 * old subject as just set.
 */
record RoomSubject(String text, String nick, Instant stamp) {

    static final RoomSubject NONE = new RoomSubject(null, null, null);
}
