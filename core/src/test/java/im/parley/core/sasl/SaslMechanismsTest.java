package im.parley.core.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {

    private static final CredentialRepository NO_ACCOUNTS = (domain, username, hash) -> java.util.Optional.empty();
    private final SaslMechanisms mechanisms = SaslMechanisms.defaults();

    private static SaslContext context(boolean tls, ChannelBindingSource binding) {
        return new SaslContext("example.org", tls, NO_ACCOUNTS, binding);
    }

    private java.util.List<String> names(SaslContext ctx) {
        return mechanisms.available(ctx).stream().map(SaslMechanism::name).toList();
    }

    @Test
    void withoutTlsOnlyScramWithoutChannelBinding() {
        assertThat(names(context(false, ChannelBindingSource.NONE)))
                .containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1");
    }

    @Test
    void tlsWithoutChannelBindingAddsPlain() {
        assertThat(names(context(true, ChannelBindingSource.NONE)))
                .containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    }

    @Test
    void tlsWithUnimplementedBindingTypeOffersNoPlus() {
        assertThat(names(context(true, new FakeChannelBinding(Map.of("tls-unique", new byte[] {1})))))
                .containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    }

    @Test
    void tlsWithChannelBindingOffersEverythingInPreferenceOrder() {
        assertThat(names(context(true, new FakeChannelBinding(Map.of("tls-server-end-point", new byte[] {1})))))
                .containsExactly("SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS",
                        "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    }

    @Test
    void findOnlyOffersAvailableMechanisms() {
        SaslContext tcp = context(false, ChannelBindingSource.NONE);
        SaslContext tls = context(true, new FakeChannelBinding(Map.of("tls-exporter", new byte[] {1})));

        assertThat(mechanisms.find("SCRAM-SHA-256", tcp)).map(SaslMechanism::name).contains("SCRAM-SHA-256");
        assertThat(mechanisms.find("PLAIN", tcp)).isEmpty();
        assertThat(mechanisms.find("SCRAM-SHA-256-PLUS", tcp)).isEmpty();
        assertThat(mechanisms.find("SCRAM-SHA-256-PLUS", tls)).map(SaslMechanism::name).contains("SCRAM-SHA-256-PLUS");
        assertThat(mechanisms.find("PLAIN", tls)).isPresent();
        assertThat(mechanisms.find("scram-sha-256", tls)).isEmpty();
        assertThat(mechanisms.find("DIGEST-MD5", tls)).isEmpty();
    }
}
