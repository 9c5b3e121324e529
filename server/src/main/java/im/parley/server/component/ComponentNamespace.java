package im.parley.server.component;

import im.parley.core.stream.Namespaces;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Moves stanzas between the client content namespace, in which Parley routes, and
 * {@code jabber:component:accept} (XEP-0114 §3), in which a component stream carries them: the
 * stanza and every descendant in the old namespace ({@code <body/>}, {@code <error/>}) move,
 * extension namespaces stay. Always a copy (stanzas are immutable once routed, STYLE.md #13).
 */
final class ComponentNamespace {

    /** XEP-0114 §3: the content namespace of a component stream. */
    static final String ACCEPT = "jabber:component:accept";

    private ComponentNamespace() {
    }

    static Element toComponent(Element stanza) {
        return convert(stanza, Namespaces.CLIENT, ACCEPT);
    }

    static Element fromComponent(Element stanza) {
        return convert(stanza, ACCEPT, Namespaces.CLIENT);
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
