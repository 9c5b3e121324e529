package im.parley.core.xml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code <stream:stream>} header, received or to send (RFC 6120 §4.7). Every attribute may
 * be null when absent.
 *
 * @param to               the {@code to} attribute (§4.7.2)
 * @param from             the {@code from} attribute (§4.7.1)
 * @param id               the stream id (§4.7.3)
 * @param version          the stream version, {@code 1.0} for RFC 6120 streams (§4.7.5)
 * @param lang             the {@code xml:lang} attribute (§4.7.4)
 * @param contentNamespace the default namespace declared on the header, e.g.
 *                         {@code jabber:client} (§4.8.2)
 * @param namespaces       further namespace declarations on the header, prefix to URI, in
 *                         order; Server Dialback peers such as ejabberd only accept
 *                         {@code db:} elements when the header declares {@code xmlns:db}
 *                         (XEP-0220 §2.1.1). Empty for received headers.
 */
public record StreamOpen(String to, String from, String id, String version, String lang,
                         String contentNamespace, Map<String, String> namespaces) {

    public StreamOpen {
        namespaces = namespaces == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(namespaces));
    }

    /** A header without further namespace declarations. */
    public StreamOpen(String to, String from, String id, String version, String lang, String contentNamespace) {
        this(to, from, id, version, lang, contentNamespace, Map.of());
    }

    /** This header with {@code xmlns:prefix='uri'} declared too. */
    public StreamOpen withNamespace(String prefix, String uri) {
        Map<String, String> more = new LinkedHashMap<>(namespaces);
        more.put(prefix, uri);
        return new StreamOpen(to, from, id, version, lang, contentNamespace, more);
    }
}
