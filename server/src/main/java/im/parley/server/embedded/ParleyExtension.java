package im.parley.server.embedded;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs an {@link EmbeddedParley} around tests.
 *
 * <p>Registered on a {@code static} field, one server serves the whole class; on an instance
 * field, each test gets a fresh one. Used with {@code @ExtendWith(ParleyExtension.class)}, it
 * runs one server per class hosting {@code localhost}. Test methods and constructors may
 * declare an {@link EmbeddedParley} parameter.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ParleyExtension PARLEY = ParleyExtension.builder()
 *         .domain("example.test").user("alice", "secret").build();
 *
 * @Test
 * void aliceLogsIn() {
 *     int port = PARLEY.server().c2sPort();
 * }
 * }</pre>
 */
public final class ParleyExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private final List<String> domains;
    private final Map<String, String> users;
    private final boolean registration;
    private EmbeddedParley server;
    private boolean perClass;

    /** One server per test class, hosting {@code localhost}, no users. */
    public ParleyExtension() {
        this(List.of(), Map.of(), false);
    }

    private ParleyExtension(List<String> domains, Map<String, String> users, boolean registration) {
        this.domains = List.copyOf(domains);
        this.users = new LinkedHashMap<>(users);
        this.registration = registration;
    }

    /** Starts describing the server the extension runs. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The running server.
     *
     * @throws IllegalStateException outside a test
     */
    public EmbeddedParley server() {
        if (server == null) {
            throw new IllegalStateException("the embedded Parley runs only while tests run");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        server = start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            server = start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedParley.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }

    private EmbeddedParley start() {
        EmbeddedParley.Builder builder = EmbeddedParley.builder();
        domains.forEach(builder::domain);
        users.forEach(builder::user);
        if (registration) {
            builder.allowRegistration();
        }
        return builder.start();
    }

    private void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Describes the server a {@link ParleyExtension} runs. */
    public static final class Builder {
        private final List<String> domains = new ArrayList<>();
        private final Map<String, String> users = new LinkedHashMap<>();
        private boolean registration;

        private Builder() {
        }

        /** Lets clients create accounts themselves (XEP-0077); off by default. */
        public Builder allowRegistration() {
            registration = true;
            return this;
        }

        /** Adds a hosted domain; without any, the server hosts {@code localhost}. */
        public Builder domain(String domain) {
            domains.add(domain);
            return this;
        }

        /** Adds an account: a localpart on the first domain, or a bare JID. */
        public Builder user(String user, String password) {
            users.put(user, password);
            return this;
        }

        public ParleyExtension build() {
            return new ParleyExtension(domains, users, registration);
        }
    }
}
