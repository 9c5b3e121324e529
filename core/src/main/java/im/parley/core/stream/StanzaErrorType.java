package im.parley.core.stream;

import java.util.Locale;

/** The {@code type} attribute of a stanza error, RFC 6120 §8.3.2. */
public enum StanzaErrorType {
    AUTH, CANCEL, CONTINUE, MODIFY, WAIT;

    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
