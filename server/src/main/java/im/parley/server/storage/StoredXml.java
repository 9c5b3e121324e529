package im.parley.server.storage;

import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;

/** XML the server stored itself (vCards, private XML, archived stanzas), parsed again. */
public final class StoredXml {

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
            return DocumentHelper.parseText(xml).getRootElement().createCopy();
        } catch (DocumentException e) {
            throw new IllegalStateException(what + " is not XML: " + e.getMessage(), e);
        }
    }
}
