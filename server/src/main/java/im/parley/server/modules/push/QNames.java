package im.parley.server.modules.push;

import org.dom4j.Namespace;
import org.dom4j.QName;

/** Qualified names for child lookups. */
final class QNames {

    private QNames() {
    }

    static QName of(String name, String namespace) {
        return QName.get(name, Namespace.get(namespace));
    }
}
