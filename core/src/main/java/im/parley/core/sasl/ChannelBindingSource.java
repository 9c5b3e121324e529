package im.parley.core.sasl;

import java.util.Optional;
import java.util.Set;

/**
 * Channel binding data of the TLS connection a SASL exchange runs over (RFC 5056, RFC 5929,
 * RFC 9266). Types are named as in the IANA registry: {@code tls-exporter},
 * {@code tls-server-end-point}.
 */
public interface ChannelBindingSource {

    /** A source for connections without TLS: no channel binding. */
    ChannelBindingSource NONE = new ChannelBindingSource() {
        @Override
        public Set<String> supportedTypes() {
            return Set.of();
        }

        @Override
        public Optional<byte[]> data(String type) {
            return Optional.empty();
        }
    };

    /** The channel binding types this connection can provide. */
    Set<String> supportedTypes();

    /** The channel binding data of the given type, or empty if the type is unavailable. */
    Optional<byte[]> data(String type);
}
