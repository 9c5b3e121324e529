package im.parley.core.stream;

/** Thrown where processing must end the stream with a stream error (RFC 6120 §4.9). */
public class StreamErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final StreamError error;

    public StreamErrorException(StreamErrorCondition condition, String text) {
        super(condition.elementName() + (text == null ? "" : ": " + text));
        this.error = StreamError.of(condition, text);
    }

    public StreamError error() {
        return error;
    }
}
