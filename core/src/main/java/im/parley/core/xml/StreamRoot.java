package im.parley.core.xml;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import im.parley.core.stream.Namespaces;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The name context of a stream's root element — its qualified name and every namespace it
 * declares: the content namespace, the stream prefix (RFC 6120 §4.8) and any other prefix, such
 * as {@code db} (XEP-0220 §2.1.1) — kept so that a parser released while the stream is idle can
 * be rebuilt mid-document. The fresh parser reads a synthetic start tag with exactly these
 * declarations, so the peer's next bytes parse as children of the same root, and the root's
 * end tag must still match the name the peer opened.
 *
 * <p>Only names are replayed: {@link ElementBuilder} copies each element's own attributes and
 * inherits nothing from the root, so {@code to}, {@code from}, {@code id}, {@code version} and
 * {@code xml:lang} do not affect how children parse. Declarations are written in a fixed order
 * (their order on the root is not observable), so the usual client and server headers share
 * one instance and a session pays nothing for its root.
 */
final class StreamRoot {

    private static final StreamRoot CLIENT = standard(Namespaces.CLIENT);
    private static final StreamRoot SERVER = standard(Namespaces.SERVER);

    private final byte[] startTag;

    private StreamRoot(byte[] startTag) {
        this.startTag = startTag;
    }

    /** The root the reader is positioned on (its START_ELEMENT event). */
    static StreamRoot of(XMLStreamReader reader) {
        Map<String, String> declarations = new TreeMap<>();
        for (int i = 0; i < reader.getNamespaceCount(); i++) {
            declarations.put(nullToEmpty(reader.getNamespacePrefix(i)), nullToEmpty(reader.getNamespaceURI(i)));
        }
        StreamRoot root = new StreamRoot(startTag(reader.getVersion(), nullToEmpty(reader.getPrefix()),
                reader.getLocalName(), declarations));
        for (StreamRoot common : new StreamRoot[] {CLIENT, SERVER}) {
            if (Arrays.equals(common.startTag, root.startTag)) {
                return common;
            }
        }
        return root;
    }

    /**
     * Feeds the start tag to a fresh parser and consumes its events up to and including the
     * root's START_ELEMENT; returns the number of bytes fed, where the peer's bytes begin.
     */
    int replayInto(AsyncXMLStreamReader<AsyncByteBufferFeeder> reader) throws XMLStreamException {
        reader.getInputFeeder().feedInput(ByteBuffer.wrap(startTag));
        int event;
        do {
            event = reader.next();
            if (event == AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                throw new XMLStreamException("replayed stream root is incomplete");
            }
        } while (event != XMLStreamConstants.START_ELEMENT);
        if (!reader.getInputFeeder().needMoreInput() && reader.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
            throw new XMLStreamException("replayed stream root is followed by content");
        }
        return startTag.length;
    }

    private static StreamRoot standard(String contentNamespace) {
        return new StreamRoot(startTag(null, "stream", "stream", new TreeMap<>(Map.of(
                "", contentNamespace, "stream", Namespaces.STREAMS))));
    }

    /**
     * The XML declaration is replayed only for a version other than 1.0, whose character rules
     * differ (XML 1.1 §2.2); UTF-8 is the only encoding a stream may use (RFC 6120 §11.6).
     */
    private static byte[] startTag(String version, String prefix, String localName, Map<String, String> declarations) {
        StringBuilder tag = new StringBuilder(128);
        if (version != null && !"1.0".equals(version)) {
            tag.append("<?xml version='").append(version).append("'?>");
        }
        String name = prefix.isEmpty() ? localName : prefix + ':' + localName;
        tag.append('<').append(name);
        declarations.forEach((declaredPrefix, uri) -> {
            tag.append(declaredPrefix.isEmpty() ? " xmlns" : " xmlns:" + declaredPrefix).append("='");
            XmlAttributes.appendEscaped(tag, uri);
            tag.append('\'');
        });
        return tag.append('>').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
