package im.parley.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.server.config.ParleyConfig;
import im.parley.server.modules.delivery.DeliveryModule;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModuleContext#module}: a module reaches the instance of a module it depends on that runs
 * on its own host, and only such a module.
 */
class ModuleLookupTest {

    /** What each user found, by its host. */
    static final Map<String, Object> FOUND = new ConcurrentHashMap<>();

    /** A module others use. */
    public static final class Provider implements XmppModule {
        String host;

        @Override
        public String name() {
            return "provider";
        }

        @Override
        public void load(ModuleContext context) {
            host = context.host().domain().toString();
        }
    }

    /** Depends on the provider and asks for it. */
    public static final class User implements XmppModule {
        @Override
        public String name() {
            return "user";
        }

        @Override
        public List<String> dependsOn() {
            return List.of("provider");
        }

        @Override
        public void load(ModuleContext context) {
            FOUND.put(context.host().domain().toString(), context.module(this, Provider.class));
        }
    }

    /** Asks for the provider without depending on it. */
    public static final class Stranger implements XmppModule {
        @Override
        public String name() {
            return "stranger";
        }

        @Override
        public void load(ModuleContext context) {
            context.module(this, DeliveryModule.class);
        }
    }

    @Test
    void aModuleGetsItsOwnHostsInstanceOfAModuleItDependsOn(@TempDir Path dir) throws Exception {
        FOUND.clear();
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("montague.test", "capulet.test"))
                .withDataDir(dir);
        try (TestServer server = new TestServer(config, Clock.systemUTC(), ModuleCatalog.of(List.of(
                new DeliveryModule(), new User(), new Provider())))) {
            assertThat(FOUND).hasSize(2);
            assertThat(((Provider) FOUND.get("montague.test")).host).isEqualTo("montague.test");
            assertThat(((Provider) FOUND.get("capulet.test")).host).isEqualTo("capulet.test");
        }
    }

    @Test
    void aModuleThatDoesNotDependOnAnotherCannotReachIt(@TempDir Path dir) {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("montague.test")).withDataDir(dir);
        assertThatThrownBy(() -> new TestServer(config, Clock.systemUTC(), ModuleCatalog.of(List.of(
                new DeliveryModule(), new Stranger()))).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("module stranger uses module delivery but does not name it in dependsOn()");
    }
}
