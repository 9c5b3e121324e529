package im.parley.server.config;

import java.time.Duration;
import java.util.List;

/**
 * In-band registration (XEP-0077): off by default, because anyone who can reach the server could
 * then create accounts.
 *
 * @param enabled whether clients may create accounts before authenticating
 * @param domains the hosted domains open to registration; empty means all of them
 * @param maxPerAddress most registration attempts one client address may make within {@code window}
 * @param window the window for {@code maxPerAddress}
 * @param maxPerConnection most accounts one unauthenticated connection may register
 */
public record RegistrationConfig(boolean enabled, List<String> domains, int maxPerAddress, Duration window,
                                 int maxPerConnection) {

    public RegistrationConfig {
        domains = List.copyOf(domains);
    }

    public static RegistrationConfig defaults() {
        return new RegistrationConfig(false, List.of(), 3, Duration.ofHours(1), 1);
    }

    /** Whether accounts may be registered in-band on {@code domain} (a prepared hosted domain). */
    public boolean isOpenFor(String domain) {
        return enabled && (domains.isEmpty() || domains.contains(domain));
    }

    public RegistrationConfig withEnabled(boolean newEnabled) {
        return new RegistrationConfig(newEnabled, domains, maxPerAddress, window, maxPerConnection);
    }

    public RegistrationConfig withDomains(List<String> newDomains) {
        return new RegistrationConfig(enabled, newDomains, maxPerAddress, window, maxPerConnection);
    }

    public RegistrationConfig withMaxPerAddress(int newMaxPerAddress) {
        return new RegistrationConfig(enabled, domains, newMaxPerAddress, window, maxPerConnection);
    }

    public RegistrationConfig withWindow(Duration newWindow) {
        return new RegistrationConfig(enabled, domains, maxPerAddress, newWindow, maxPerConnection);
    }

    public RegistrationConfig withMaxPerConnection(int newMaxPerConnection) {
        return new RegistrationConfig(enabled, domains, maxPerAddress, window, newMaxPerConnection);
    }
}
