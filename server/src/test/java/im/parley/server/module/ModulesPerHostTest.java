package im.parley.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.server.config.ConfigException;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.TestClient;
import java.util.Map;
import im.parley.server.modules.delivery.DeliveryModule;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules run per hosted domain (issue 12 item 1): each hosted domain gets its own instance of
 * every host module, loaded with that host's context; a global module is loaded once.
 */
class ModulesPerHostTest {

    static final List<String> LOADS = new CopyOnWriteArrayList<>();

    /** Records which host each instance was loaded for. */
    public static final class HostRecorder implements XmppModule {
        @Override
        public String name() {
            return "host-recorder";
        }

        @Override
        public void load(ModuleContext context) {
            LOADS.add("host " + context.host().domain() + " " + System.identityHashCode(this));
        }
    }

    /** A module of the whole server. */
    public static final class GlobalRecorder implements XmppModule {
        @Override
        public String name() {
            return "global-recorder";
        }

        @Override
        public boolean global() {
            return true;
        }

        @Override
        public void load(ModuleContext context) {
            LOADS.add("global " + context.host().domain());
        }
    }

    @Test
    void aModuleDisabledOnOneDomainRunsOnTheOthers(@TempDir Path dir) throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("montague.test", "capulet.test"))
                .withDataDir(dir);
        config = config.withModules(config.modules().withDisabledOn(Map.of("capulet.test", List.of("ping"))));
        try (TestServer server = new TestServer(config)) {
            server.user("romeo@montague.test");
            TestClient romeo = server.login("romeo@montague.test", "orchard");

            assertThat(romeo.send("<iq type='get' id='p1' to='montague.test'><ping xmlns='urn:xmpp:ping'/></iq>"))
                    .contains("type='result'").doesNotContain("service-unavailable");
            assertThat(romeo.send("<iq type='get' id='p2' to='capulet.test'><ping xmlns='urn:xmpp:ping'/></iq>"))
                    .as("XEP-0199 off on capulet.test").contains("service-unavailable");
        }
    }

    @Test
    void disabledOnNamesHostedDomainsAndKnownModules() {
        assertThatThrownBy(() -> ConfigLoader.parse("domains: [a.test]\nmodules:\n  disabled_on:\n    b.test: [ping]\n",
                "parley.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("modules.disabled_on.b.test: domain b.test is not configured");
        assertThatThrownBy(() -> ConfigLoader.parse("domains: [a.test]\nmodules:\n  disabled_on:\n    a.test: [telepathy]\n",
                "parley.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("modules.disabled_on.a.test[0]: no module is named telepathy");
    }

    @Test
    void eachHostedDomainGetsItsOwnInstanceAndAGlobalModuleLoadsOnce(@TempDir Path dir) throws Exception {
        LOADS.clear();
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("montague.test", "capulet.test"))
                .withDataDir(dir);
        try (TestServer server = new TestServer(config, Clock.systemUTC(), ModuleCatalog.of(List.of(
                new DeliveryModule(), new HostRecorder(), new GlobalRecorder())))) {
            assertThat(LOADS).hasSize(3);
            assertThat(LOADS.get(0)).startsWith("host montague.test ");
            assertThat(LOADS.get(1)).isEqualTo("global montague.test");
            assertThat(LOADS.get(2)).startsWith("host capulet.test ");
            assertThat(LOADS.get(0).substring(LOADS.get(0).lastIndexOf(' ')))
                    .as("a new instance for the second domain").isNotEqualTo(LOADS.get(2).substring(LOADS.get(2).lastIndexOf(' ')));
            assertThat(server.hosts().accountHosts()).hasSize(2);
        }
    }
}
