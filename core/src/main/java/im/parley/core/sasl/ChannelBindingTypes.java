package im.parley.core.sasl;

import java.util.List;

/** The channel binding types Parley's SCRAM-PLUS implements, by IANA name. */
final class ChannelBindingTypes {

    /** RFC 9266 §2: the TLS exporter binding, the only type defined for TLS 1.3. */
    static final String TLS_EXPORTER = "tls-exporter";
    /** RFC 5929 §4: the hash of the server certificate. */
    static final String TLS_SERVER_END_POINT = "tls-server-end-point";
    static final List<String> IMPLEMENTED = List.of(TLS_EXPORTER, TLS_SERVER_END_POINT);

    private ChannelBindingTypes() {
    }

    static boolean isImplemented(String type) {
        return IMPLEMENTED.contains(type);
    }

    /**
     * Whether the server offers the -PLUS mechanisms on this stream: TLS is active and the
     * connection provides at least one type we implement. The downgrade check of RFC 5802 §6
     * relies on the same predicate, so the two can never disagree.
     */
    static boolean offered(SaslContext ctx) {
        return ctx.tlsActive() && ctx.channelBinding().supportedTypes().stream().anyMatch(ChannelBindingTypes::isImplemented);
    }
}
