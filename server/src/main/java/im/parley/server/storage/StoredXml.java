package im.parley.server.storage;

import java.io.StringReader;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.dom4j.io.SAXReader;
import org.xml.sax.SAXException;

/**
 * XML the server wrote itself (vCards, private XML, archived and offline stanzas, stanzas another
 * cluster node serialized), parsed again. Each thread keeps one parser: dom4j's
 * {@code DocumentHelper.parseText} makes a new one per call, and finding the JDK's parser factory
 * (a search of every jar's service files) cost more than the parse itself, 60 % of the server's
 * time answering archive queries (docs/benchmarks.md, "MAM page latency"). Document type
 * declarations are refused and external entities never read, as dom4j's default reader does.
 */
public final class StoredXml {

    private static final SAXParserFactory FACTORY = factory();
    private static final ThreadLocal<SAXReader> READERS = ThreadLocal.withInitial(StoredXml::newReader);

    private StoredXml() {
    }

    /**
     * The root element of {@code xml}, detached from its document.
     *
     * @param what names the data in the error, e.g. "stored vCard"
     * @throws IllegalStateException if it is not XML: the store holds only what the server wrote
     */
    public static Element parse(String xml, String what) {
        try {
            return read(xml);
        } catch (DocumentException e) {
            throw new IllegalStateException(what + " is not XML: " + e.getMessage(), e);
        }
    }

    /** The root element of {@code xml}, detached from its document. */
    public static Element read(String xml) throws DocumentException {
        return READERS.get().read(new StringReader(xml)).getRootElement().createCopy();
    }

    private static SAXParserFactory factory() {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(true);
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a feature Parley sets", e);
        }
        return factory;
    }

    private static SAXReader newReader() {
        try {
            return new SAXReader(FACTORY.newSAXParser().getXMLReader());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot make an XML parser", e);
        }
    }
}
