package im.parley.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Successful and failed SASL authentications (RFC 6120 §6.4.5, §6.4.6) by mechanism: a pair of
 * counters per mechanism the server offers, made once.
 */
public final class AuthCounters {

    static final String LOGINS = "parley.logins";
    static final String FAILURES = "parley.auth.failures";

    private final Map<String, Counter> logins = new HashMap<>();
    private final Map<String, Counter> failures = new HashMap<>();
    private final Counter otherLogin;
    private final Counter otherFailure;

    AuthCounters(MeterRegistry registry, Collection<String> mechanisms) {
        for (String mechanism : mechanisms) {
            logins.put(mechanism, login(registry, mechanism));
            failures.put(mechanism, failure(registry, mechanism));
        }
        otherLogin = login(registry, "other");
        otherFailure = failure(registry, "other");
    }

    /** A client authenticated with {@code mechanism}. */
    public void succeeded(String mechanism) {
        logins.getOrDefault(mechanism, otherLogin).increment();
    }

    /** A client's authentication with {@code mechanism} failed (wrong credentials, a disabled account, …). */
    public void failed(String mechanism) {
        failures.getOrDefault(mechanism, otherFailure).increment();
    }

    private static Counter login(MeterRegistry registry, String mechanism) {
        return Counter.builder(LOGINS).tag("mechanism", mechanism)
                .description("Successful client authentications").register(registry);
    }

    private static Counter failure(MeterRegistry registry, String mechanism) {
        return Counter.builder(FAILURES).tag("mechanism", mechanism)
                .description("Failed client authentications").register(registry);
    }
}
