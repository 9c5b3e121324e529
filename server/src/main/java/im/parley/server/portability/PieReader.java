package im.parley.server.portability;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.Attribute;
import javax.xml.stream.events.StartElement;
import javax.xml.stream.events.XMLEvent;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.Node;
import org.dom4j.Text;
import org.dom4j.io.STAXEventReader;

/**
 * Reads XEP-0227 files as a stream: only one {@code <user/>} element is in memory at a time, so
 * an export of any size can be imported. Follows XInclude (XEP-0227 §5), as ejabberd's
 * {@code export_piefxis} writes a main file that includes one file per host. A directory is read
 * file by file: every {@code *.xml} whose root is {@code <server-data/>} (Prosody's
 * {@code prosody-migrator} writes one such file per user; ejabberd's per-host files, rooted in
 * {@code <host/>}, are reached through the main file's includes).
 */
final class PieReader {

    /** Receives each user element with the JID of its host (XEP-0227 §4.1, §4.2). */
    interface UserSink {
        void user(String host, Element user, Path file);
    }

    /** Files including files including files: deeper is a loop or a mistake. */
    private static final int MAX_INCLUDE_DEPTH = 8;

    private final XMLInputFactory factory;
    private final List<String> notes = new ArrayList<>();
    private final Set<Path> included = new HashSet<>();

    PieReader() {
        factory = new InputFactoryImpl();
        // Operator files, but still: no DTD and no external entity is ever resolved.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
    }

    /** What the reader skipped at the file level (unknown elements, files that are not XEP-0227 roots). */
    List<String> notes() {
        return notes;
    }

    /** Reads a file or a directory of files. */
    void read(Path path, UserSink sink) throws IOException {
        if (!Files.isDirectory(path)) {
            readFile(path, null, 0, sink);
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(path)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".xml") && Files.isRegularFile(f))
                    .sorted().toList();
        }
        List<Path> hostFiles = new ArrayList<>();
        for (Path file : files) {
            String root = rootName(file);
            if ("server-data".equals(root)) {
                readFile(file, null, 0, sink);
            } else if ("host".equals(root)) {
                hostFiles.add(file.toAbsolutePath().normalize());
            } else {
                notes.add(file + ": root element <" + root + "/> is not XEP-0227's <server-data/>; skipped");
            }
        }
        hostFiles.removeAll(included);
        for (Path file : hostFiles) {
            notes.add(file + ": a <host/> file that no <server-data/> file of the directory includes; skipped "
                    + "(import the main file that includes it, or give this file itself)");
        }
    }

    private String rootName(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            XMLEventReader events = factory.createXMLEventReader(in);
            while (events.hasNext()) {
                XMLEvent event = events.nextEvent();
                if (event.isStartElement()) {
                    return event.asStartElement().getName().getLocalPart();
                }
            }
            return "(none)";
        } catch (XMLStreamException e) {
            throw malformed(file, e);
        }
    }

    private void readFile(Path file, String includingHost, int depth, UserSink sink) throws IOException {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new IOException(file + ": XInclude nested deeper than " + MAX_INCLUDE_DEPTH + " files");
        }
        STAXEventReader elements = new STAXEventReader();
        String host = includingHost;
        try (InputStream in = Files.newInputStream(file)) {
            XMLEventReader events = factory.createXMLEventReader(in);
            while (events.hasNext()) {
                XMLEvent event = events.peek();
                if (event.isEndElement() && "host".equals(event.asEndElement().getName().getLocalPart())) {
                    host = includingHost;
                }
                if (!event.isStartElement()) {
                    events.nextEvent();
                    continue;
                }
                StartElement start = event.asStartElement();
                QName name = start.getName();
                if (PieNames.XINCLUDE.equals(name.getNamespaceURI()) && "include".equals(name.getLocalPart())) {
                    events.nextEvent();
                    Path target = included(file, start);
                    included.add(target);
                    readFile(target, host, depth + 1, sink);
                } else if (isPie(name, "server-data")) {
                    events.nextEvent();
                } else if (isPie(name, "host")) {
                    host = attribute(start, "jid");
                    if (host == null) {
                        throw new IOException(file + ": <host/> without a jid attribute (XEP-0227 §4.1)");
                    }
                    events.nextEvent();
                } else if (isPie(name, "user") && host != null) {
                    sink.user(host, withoutEmptyText(elements.readElement(events)), file);
                } else {
                    notes.add(file + ": ignored <" + name.getLocalPart() + " xmlns='" + name.getNamespaceURI()
                            + "'/> outside a user");
                    elements.readElement(events);
                }
            }
        } catch (XMLStreamException e) {
            throw malformed(file, e);
        }
    }

    /**
     * dom4j's StAX reader keeps zero-length text nodes and namespace declarations as content, which
     * turns {@code <a/>} into {@code <a></a>}; the writer declares the namespaces it needs anyway.
     */
    private static Element withoutEmptyText(Element element) {
        for (Node node : List.copyOf(element.content())) {
            if (node instanceof Text text && text.getText().isEmpty() || node instanceof Namespace) {
                element.remove(node);
            } else if (node instanceof Element child) {
                withoutEmptyText(child);
            }
        }
        return element;
    }

    /** XEP-0227 §5: an href relative to the including file; nothing but a local file is followed. */
    private static Path included(Path file, StartElement include) throws IOException {
        String href = attribute(include, "href");
        if (href == null || href.contains(":")) {
            throw new IOException(file + ": <xi:include/> needs a relative href to a local file, not '" + href + "'");
        }
        Path target = file.toAbsolutePath().getParent().resolve(href).normalize();
        if (!Files.isRegularFile(target)) {
            throw new IOException(file + ": included file " + target + " does not exist");
        }
        return target;
    }

    private static boolean isPie(QName name, String localName) {
        return localName.equals(name.getLocalPart()) && PieNames.PIE_NAMESPACES.contains(name.getNamespaceURI());
    }

    private static String attribute(StartElement element, String name) {
        Attribute attribute = element.getAttributeByName(new QName(name));
        return attribute == null ? null : attribute.getValue();
    }

    private static IOException malformed(Path file, XMLStreamException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber();
        return new IOException(file + ": not well-formed XML" + where + ": " + e.getMessage(), e);
    }
}
