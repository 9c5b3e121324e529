package im.parley.core.xml;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import javax.xml.stream.XMLInputFactory;
import org.codehaus.stax2.XMLInputFactory2;

/**
 * Aalto's non-blocking parsers configured for XMPP's restricted XML (RFC 6120 §11.1): they
 * report DTDs, entity references and the like, never resolve them.
 */
final class RestrictedXmlParsers {

    private RestrictedXmlParsers() {
    }

    /**
     * A parser that reports, never resolves: no DTD support, no entity replacement, no
     * external entities. A factory per document keeps Aalto's name tables private to the
     * connection, so one peer's names never accumulate in memory shared by all.
     */
    static AsyncXMLStreamReader<AsyncByteBufferFeeder> newParser() {
        AsyncXMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        factory.setProperty(XMLInputFactory2.P_INTERN_NAMES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory2.P_INTERN_NS_URIS, Boolean.FALSE);
        return factory.createAsyncForByteBuffer();
    }
}
