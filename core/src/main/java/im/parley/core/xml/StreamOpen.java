package im.parley.core.xml;

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
 */
public record StreamOpen(String to, String from, String id, String version, String lang,
                         String contentNamespace) {
}
