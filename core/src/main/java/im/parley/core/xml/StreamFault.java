package im.parley.core.xml;

import im.parley.core.stream.StreamError;
import java.util.Objects;

/**
 * Emitted by {@link XmppStreamDecoder} when the input violates RFC 6120 (§4.9, §11). The
 * decoder ignores all input after it: the session sends the error and closes the stream.
 */
public record StreamFault(StreamError error) {
    public StreamFault {
        Objects.requireNonNull(error, "error");
    }
}
