package im.parley.conformance.raw;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.dom4j.io.SAXReader;

/**
 * Splits what the server writes into stream-level events: the stream header, one dom4j element
 * per top-level child, and the end of the stream. Deliberately independent of Parley's own
 * decoder, so the tests do not share a bug with the code under test. Reads block with the
 * socket's timeout; a timeout keeps the buffered bytes, so reading can go on afterwards.
 */
final class XmppStreamReader {

    /** What the server sent next. */
    sealed interface Event permits Header, Stanza, End {
    }

    /** The server's {@code <stream:stream>} open tag (RFC 6120 §4.7). */
    record Header(Map<String, String> attributes) implements Event {
    }

    /** One top-level element, namespaces resolved as on the stream. */
    record Stanza(Element element, String xml) implements Event {
    }

    /** {@code </stream:stream>} or the end of the connection. */
    record End(boolean closedByPeer) implements Event {
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w:.-]+)\\s*=\\s*(?:'([^']*)'|\"([^\"]*)\")");
    private static final String WRAPPER_OPEN = "<wrapper xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private final Socket socket;
    private InputStream in;
    private byte[] buffer = new byte[0];
    private boolean eof;

    XmppStreamReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Continues on another socket (after STARTTLS); nothing may be buffered from the old one. */
    void switchTo(Socket tlsSocket) throws IOException {
        if (buffer.length > 0) {
            throw new IllegalStateException("bytes after <proceed/>: " + new String(buffer, StandardCharsets.UTF_8));
        }
        in = tlsSocket.getInputStream();
    }

    /** The next event, or {@code null} if none arrived within {@code timeout}. */
    Event next(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Event event = parseBuffered();
            if (event != null) {
                return event;
            }
            if (eof) {
                return new End(false);
            }
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return null;
            }
            readMore((int) Math.max(1, left));
        }
    }

    private void readMore(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] chunk = new byte[16 * 1024];
        try {
            int n = in.read(chunk);
            if (n < 0) {
                eof = true;
                return;
            }
            byte[] joined = Arrays.copyOf(buffer, buffer.length + n);
            System.arraycopy(chunk, 0, joined, buffer.length, n);
            buffer = joined;
        } catch (SocketTimeoutException e) {
            // Nothing yet; the caller decides whether to wait longer.
        } catch (IOException e) {
            // A reset after the server closed is the end of the stream for our purposes.
            eof = true;
        }
    }

    private Event parseBuffered() throws IOException {
        int start = skipWhitespace(0);
        if (start >= buffer.length) {
            return null;
        }
        if (buffer[start] != '<') {
            throw new IOException("text at stream level: " + rest(start));
        }
        if (startsWith(start, "<?")) {
            int end = indexOf(start, "?>");
            if (end < 0) {
                return null;
            }
            consume(end + 2);
            return parseBuffered();
        }
        if (startsWith(start, "</")) {
            int end = tagEnd(start);
            if (end < 0) {
                return null;
            }
            consume(end + 1);
            return new End(true);
        }
        int headerEnd = tagEnd(start);
        if (headerEnd < 0) {
            return null;
        }
        String firstTag = new String(buffer, start, headerEnd + 1 - start, StandardCharsets.UTF_8);
        if (firstTag.startsWith("<stream:stream") || firstTag.startsWith("<stream ")) {
            consume(headerEnd + 1);
            return new Header(attributes(firstTag));
        }
        int end = elementEnd(start);
        if (end < 0) {
            return null;
        }
        String xml = new String(buffer, start, end + 1 - start, StandardCharsets.UTF_8);
        consume(end + 1);
        return new Stanza(parse(xml), xml);
    }

    /** The index of the {@code >} closing the tag that starts at {@code from}, quotes respected; -1 if incomplete. */
    private int tagEnd(int from) {
        byte quote = 0;
        for (int i = from + 1; i < buffer.length; i++) {
            byte b = buffer[i];
            if (quote != 0) {
                if (b == quote) {
                    quote = 0;
                }
            } else if (b == '"' || b == '\'') {
                quote = b;
            } else if (b == '>') {
                return i;
            }
        }
        return -1;
    }

    /** The index of the last byte of the element starting at {@code from}; -1 if incomplete. */
    private int elementEnd(int from) {
        int depth = 0;
        int i = from;
        while (i < buffer.length) {
            if (buffer[i] != '<') {
                i++;
                continue;
            }
            int end = tagEnd(i);
            if (end < 0) {
                return -1;
            }
            if (buffer[i + 1] == '/') {
                depth--;
            } else if (buffer[end - 1] != '/') {
                depth++;
            }
            if (depth == 0) {
                return end;
            }
            i = end + 1;
        }
        return -1;
    }

    private static Element parse(String xml) throws IOException {
        try {
            Document document = new SAXReader().read(new StringReader(WRAPPER_OPEN + xml + "</wrapper>"));
            return (Element) document.getRootElement().elements().get(0);
        } catch (DocumentException e) {
            throw new IOException("server sent XML we cannot parse: " + xml, e);
        }
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            attributes.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return attributes;
    }

    private int skipWhitespace(int from) {
        int i = from;
        while (i < buffer.length && Character.isWhitespace(buffer[i])) {
            i++;
        }
        return i;
    }

    private boolean startsWith(int from, String prefix) {
        if (buffer.length - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buffer[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(int from, String needle) {
        for (int i = from; i <= buffer.length - needle.length(); i++) {
            if (startsWith(i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private void consume(int upTo) {
        buffer = Arrays.copyOfRange(buffer, upTo, buffer.length);
    }

    private String rest(int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(buffer, from, buffer.length - from);
        return out.toString(StandardCharsets.UTF_8);
    }
}
