package im.parley.sdk;

/**
 * Presence as a chat app shows it: offline, or online with a mode (RFC 6121 §4.7.2.1
 * {@code <show/>}).
 */
public enum Availability {
    /** Not connected, or not sharing presence (type {@code unavailable}). */
    OFFLINE,
    /** Online (no {@code <show/>}). */
    AVAILABLE,
    /** Actively interested in chatting ({@code chat}). */
    FREE_TO_CHAT,
    /** Temporarily away ({@code away}). */
    AWAY,
    /** Away for a longer period ({@code xa}). */
    EXTENDED_AWAY,
    /** Busy ({@code dnd}). */
    DO_NOT_DISTURB
}
