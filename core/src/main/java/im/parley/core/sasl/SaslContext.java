package im.parley.core.sasl;

import java.util.Objects;

/**
 * What a SASL mechanism needs to know about the stream it runs on.
 *
 * @param domain the (prepared) domain the client authenticates to, from the stream header's {@code to}
 * @param tlsActive whether the stream is encrypted (PLAIN needs it, RFC 6120 §6.4.2 / §13.8)
 * @param credentials where stored SCRAM credentials are found
 * @param channelBinding channel binding data of the TLS connection, {@link ChannelBindingSource#NONE} without TLS
 */
public record SaslContext(String domain, boolean tlsActive, CredentialRepository credentials,
                          ChannelBindingSource channelBinding) {

    public SaslContext {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(channelBinding, "channelBinding");
    }
}
