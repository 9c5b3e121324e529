package im.parley.server.modules.register;

import im.parley.server.module.ModuleContext;
import java.time.Duration;
import java.util.List;

/**
 * In-band registration (XEP-0077): off by default, because anyone who can reach the server could
 * then create accounts. The values of the {@code registration} options ({@link RegisterModule}).
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

    /** Registration closed. */
    public static RegistrationConfig defaults() {
        return new RegistrationConfig(false, List.of(), 3, Duration.ofHours(1), 1);
    }

    /** The values of the {@code registration} options. */
    public static RegistrationConfig of(ModuleContext context) {
        return new RegistrationConfig(context.option(RegisterModule.ENABLED), context.option(RegisterModule.DOMAINS),
                context.option(RegisterModule.MAX_PER_ADDRESS), context.option(RegisterModule.WINDOW),
                context.option(RegisterModule.MAX_PER_CONNECTION));
    }

    /** Whether accounts may be registered in-band on {@code domain} (a prepared hosted domain). */
    public boolean isOpenFor(String domain) {
        return enabled && (domains.isEmpty() || domains.contains(domain));
    }
}
