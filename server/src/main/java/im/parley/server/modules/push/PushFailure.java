package im.parley.server.modules.push;

import im.parley.core.stream.Namespaces;
import java.util.Set;
import org.dom4j.Element;

/**
 * What an error answer from an app server means for the registration (XEP-0357 §7 leaves it to
 * the server; the rules follow Prosody's mod_cloud_notify): a node the app server no longer knows
 * or refuses ({@code item-not-found}, {@code gone}, {@code not-authorized}, {@code forbidden},
 * {@code registration-required}) is removed at once; a temporary error (type {@code wait}) does
 * not count; any other error counts towards {@code push.max_errors}.
 */
enum PushFailure {
    REMOVE,
    TEMPORARY,
    COUNTED;

    private static final Set<String> FATAL = Set.of(
            "item-not-found", "gone", "not-authorized", "forbidden", "registration-required");

    static PushFailure of(Element errorIq) {
        Element error = errorIq.element("error");
        if (error == null) {
            return COUNTED;
        }
        for (Element condition : error.elements()) {
            if (Namespaces.STANZA_ERRORS.equals(condition.getNamespaceURI()) && FATAL.contains(condition.getName())) {
                return REMOVE;
            }
        }
        return "wait".equals(error.attributeValue("type")) ? TEMPORARY : COUNTED;
    }
}
