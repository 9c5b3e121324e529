package im.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.server.module.ModuleCatalog;
import im.parley.server.modules.contactinfo.ContactAddressesConfig;
import im.parley.server.modules.contactinfo.ContactAddressesModule;
import im.parley.server.modules.register.RegisterModule;
import im.parley.server.modules.register.RegistrationConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code registration} (XEP-0077) and {@code contact_addresses} (XEP-0157) options, declared
 * by their modules and read from the YAML keys they always had.
 */
class FeaturesConfigTest {

    @Test
    void registrationIsOffByDefaultAndNoAddressesArePublished() {
        ParleyConfig defaults = ParleyConfig.defaults();

        assertThat(registration(defaults).enabled()).isFalse();
        assertThat(registration(defaults).isOpenFor("localhost")).isFalse();
        assertThat(addresses(defaults).isEmpty()).isTrue();
    }

    @Test
    void readsRegistrationAndContactAddresses() throws Exception {
        ParleyConfig config = ConfigLoader.parse("""
                domains: [example.org, other.example]
                registration:
                  enabled: true
                  domains: [Example.ORG]
                  max_per_address: 5
                  window: 30m
                contact_addresses:
                  admin: ["xmpp:admin@example.org", "mailto:admin@example.org"]
                  abuse: ["mailto:abuse@example.org"]
                """, "t.yml");

        RegistrationConfig registration = registration(config);
        assertThat(registration).isEqualTo(new RegistrationConfig(true, List.of("example.org"), 5, Duration.ofMinutes(30), 1));
        assertThat(registration.isOpenFor("example.org")).isTrue();
        assertThat(registration.isOpenFor("other.example")).isFalse();
        ContactAddressesConfig addresses = addresses(config);
        assertThat(addresses.of("admin")).containsExactly("xmpp:admin@example.org", "mailto:admin@example.org");
        assertThat(addresses.of("abuse")).containsExactly("mailto:abuse@example.org");
        assertThat(addresses.of("support")).isEmpty();
    }

    @Test
    void emptyRegistrationDomainsOpenEveryHostedDomain() throws Exception {
        ParleyConfig config = ConfigLoader.parse("domains: [a.example, b.example]\nregistration: {enabled: true}\n", "t.yml");

        assertThat(registration(config).isOpenFor("a.example")).isTrue();
        assertThat(registration(config).isOpenFor("b.example")).isTrue();
    }

    @Test
    void registrationDomainsMustBeHosted() {
        assertThatThrownBy(() -> ConfigLoader.parse(
                "domains: [example.org]\nregistration:\n  enabled: true\n  domains: [elsewhere.example]\n", "t.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("registration.domains[0]").hasMessageContaining("not configured");
    }

    @Test
    void contactAddressesMustBeAbsoluteUris() {
        assertThatThrownBy(() -> ConfigLoader.parse("contact_addresses:\n  admin: [\"admin@example.org\"]\n", "t.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("contact_addresses.admin[0]").hasMessageContaining("absolute URI");
        assertThatThrownBy(() -> ConfigLoader.parse("contact_addresses:\n  postal: [\"mailto:a@b\"]\n", "t.yml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
    }

    @Test
    void theCommentedExamplesAreValid() throws Exception {
        String registrationExample = example("registration.domains");
        String adminExample = example("contact_addresses.admin");

        ParleyConfig config = ConfigLoader.parse("domains: [example.org]\nregistration:\n  domains: "
                + registrationExample + "\ncontact_addresses:\n  admin: " + adminExample + "\n", "t.yml");

        assertThat(registration(config).domains()).containsExactly("example.org");
        assertThat(addresses(config).of("admin")).hasSize(2);
    }

    private static String example(String key) {
        return ModuleCatalog.discover().schema().option(key).example();
    }

    private static RegistrationConfig registration(ParleyConfig config) {
        return new RegistrationConfig(config.option(RegisterModule.ENABLED), config.option(RegisterModule.DOMAINS),
                config.option(RegisterModule.MAX_PER_ADDRESS), config.option(RegisterModule.WINDOW),
                config.option(RegisterModule.MAX_PER_CONNECTION));
    }

    private static ContactAddressesConfig addresses(ParleyConfig config) {
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        for (String kind : ContactAddressesConfig.KINDS) {
            addresses.put(kind, config.option(ContactAddressesModule.option(kind)));
        }
        return new ContactAddressesConfig(addresses);
    }
}
