package im.parley.core.xml;

/** The {@code </stream:stream>} closing tag, received or to send (RFC 6120 §4.4). */
public enum StreamClose {
    INSTANCE
}
