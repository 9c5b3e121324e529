package im.parley.core.xml;

import com.fasterxml.aalto.UncheckedStreamException;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import javax.xml.stream.XMLStreamException;

/** Maps Aalto's parse exceptions to RFC 6120 stream errors. */
final class ParseErrors {
    private ParseErrors() {
    }

    /** What Aalto found while reading text lazily, where StAX allows no checked exception. */
    static StreamError toStreamError(UncheckedStreamException e) {
        return e.getCause() instanceof XMLStreamException cause
                ? toStreamError(cause)
                : StreamError.of(StreamErrorCondition.NOT_WELL_FORMED, "not well-formed XML");
    }

    static StreamError toStreamError(XMLStreamException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // Aalto has no exception subtypes for these two cases, only its messages:
        // "Unexpanded ENTITY_REFERENCE (x) in attribute value" and "Unsupported encoding 'x'".
        if (message.contains("ENTITY_REFERENCE")) {
            return StreamError.of(StreamErrorCondition.RESTRICTED_XML, "entity references are not allowed");
        }
        if (message.startsWith("Unsupported encoding")) {
            return StreamError.of(StreamErrorCondition.UNSUPPORTED_ENCODING, "the stream must be UTF-8");
        }
        return StreamError.of(StreamErrorCondition.NOT_WELL_FORMED, firstLine(message));
    }

    /** Aalto appends the location on further lines; the first line says what is wrong. */
    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.isBlank() ? "not well-formed XML" : line.strip();
    }
}
