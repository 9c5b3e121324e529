package im.parley.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.server.config.ConfigException;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which modules run, in what order: {@code modules.disabled} and {@link XmppModule#dependsOn()}. */
class ModuleSetTest {

    @TempDir
    Path dir;

    @Test
    void everyDiscoveredModuleRunsByDefaultInServiceFileOrder() {
        ModuleCatalog catalog = ModuleCatalog.discover();

        assertThat(ModuleSet.resolve(catalog, List.of()).names()).containsExactly("delivery", "legacy-session", "ping",
                "disco", "adhoc", "service-admin", "version", "time", "last", "register", "contact-addresses",
                "stream-management", "client-state", "blocking", "carbons", "offline", "push", "push-app-server", "vcard",
                "private", "roster", "presence", "mam", "upload", "pep", "pubsub",
                "bookmarks", "avatar", "extdisco", "proxy65", "muc", "metrics");
    }

    @Test
    void aModuleLoadsAfterWhatItDependsOn() {
        ModuleCatalog catalog = ModuleCatalog.of(List.of(module("c", "b"), module("a"), module("b", "a")));

        assertThat(ModuleSet.resolve(catalog, List.of()).names()).containsExactly("a", "b", "c");
    }

    @Test
    void disabledModulesDoNotRun() throws Exception {
        ParleyConfig config = ConfigLoader.parse("domains: [parley.test]\ndata_dir: \"" + dir + "\"\n"
                + "modules:\n  disabled: [vcard, avatar, presence]\n", "parley.yml");

        try (TestServer server = new TestServer(config)) {
            assertThat(server.modules()).contains("roster").doesNotContain("vcard", "presence");
        }
    }

    @Test
    void aMissingOrDisabledDependencyStopsTheStartNamingBothModules() {
        ModuleCatalog catalog = ModuleCatalog.of(List.of(module("presence", "roster"), module("roster")));

        assertThatThrownBy(() -> ModuleSet.resolve(catalog, List.of("roster")))
                .hasMessage("module presence needs module roster, which is disabled (modules.disabled)");
        assertThatThrownBy(() -> ModuleSet.resolve(ModuleCatalog.of(List.of(module("presence", "roster"))), List.of()))
                .hasMessage("module presence needs module roster, which is not installed");
        assertThatThrownBy(() -> new TestServer(ParleyConfig.defaults().withDataDir(dir)
                .withModules(ParleyConfig.defaults().modules().withDisabled(List.of("roster")))))
                .hasMessage("module presence needs module roster, which is disabled (modules.disabled)");
    }

    @Test
    void dependencyCyclesAreNamed() {
        ModuleCatalog catalog = ModuleCatalog.of(List.of(module("a", "b"), module("b", "a")));

        assertThatThrownBy(() -> ModuleSet.resolve(catalog, List.of()))
                .hasMessage("modules depend on each other in a cycle: a -> b -> a");
    }

    @Test
    void twoModulesCannotShareAName() {
        assertThatThrownBy(() -> ModuleCatalog.of(List.of(module("a"), module("a"))))
                .hasMessageStartingWith("two modules are named a");
    }

    @Test
    void disablingAnUnknownModuleIsAConfigurationErrorAtItsLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("modules:\n  disabled:\n    - vcard\n    - telepathy\n", "parley.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("modules.disabled[1]: no module is named telepathy (modules: delivery, legacy-session, ")
                .hasMessageEndingWith("(parley.yml, line 4)");
    }

    private static XmppModule module(String name, String... dependencies) {
        return new XmppModule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> dependsOn() {
                return List.of(dependencies);
            }

            @Override
            public void load(ModuleContext context) {
            }
        };
    }
}
