package im.parley.s2s.stream;

import im.parley.core.stream.Namespaces;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Moves a stanza between the client and server content namespaces (RFC 6120 §4.8.3): local
 * sessions deliver {@code jabber:client} elements as they are, while a server-to-server stream
 * carries {@code jabber:server}. The stanza and every descendant in the old content namespace
 * (e.g. {@code <error/>}, {@code <body/>}) move; extension namespaces stay. Always a copy:
 * stanzas are never modified once routing started (STYLE.md #13).
 */
public final class ContentNamespace {

    private ContentNamespace() {
    }

    /** A {@code jabber:server} copy of a local ({@code jabber:client}) stanza. */
    public static Element toServer(Element stanza) {
        return convert(stanza, Namespaces.CLIENT, Namespaces.SERVER);
    }

    /** A {@code jabber:client} copy of a stanza received on a server-to-server stream. */
    public static Element toClient(Element stanza) {
        return convert(stanza, Namespaces.SERVER, Namespaces.CLIENT);
    }

    private static Element convert(Element stanza, String from, String to) {
        Element copy = stanza.createCopy();
        rename(copy, from, Namespace.get(to));
        return copy;
    }

    private static void rename(Element element, String from, Namespace to) {
        if (from.equals(element.getNamespaceURI())) {
            element.setQName(QName.get(element.getName(), to));
        }
        for (Element child : element.elements()) {
            rename(child, from, to);
        }
    }
}
