package im.parley.server.config;

/**
 * Settings of optional features offered to clients: in-band registration (XEP-0077) and the
 * contact addresses the server publishes (XEP-0157).
 *
 * @param registration in-band account registration
 * @param contactAddresses addresses shown in the server's service discovery information
 */
public record FeaturesConfig(RegistrationConfig registration, ContactAddressesConfig contactAddresses) {

    public static FeaturesConfig defaults() {
        return new FeaturesConfig(RegistrationConfig.defaults(), ContactAddressesConfig.defaults());
    }

    public FeaturesConfig withRegistration(RegistrationConfig newRegistration) {
        return new FeaturesConfig(newRegistration, contactAddresses);
    }

    public FeaturesConfig withContactAddresses(ContactAddressesConfig newContactAddresses) {
        return new FeaturesConfig(registration, newContactAddresses);
    }
}
