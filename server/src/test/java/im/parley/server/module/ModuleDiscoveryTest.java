package im.parley.server.module;

import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.server.config.ConfigException;
import im.parley.server.config.ConfigLoader;
import im.parley.server.config.ConfigurationDoc;
import im.parley.server.config.ParleyConfig;
import im.parley.server.module.fixture.FixtureModules;
import im.parley.server.module.fixture.GreetingModule;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 4: "Adding a feature such as XEP-0199 ping takes its package and one service
 * entry, and edits no other file." {@link GreetingModule} lives only in the tests, with one
 * line in {@code module-fixture/META-INF/services}: it is discovered, its option is read from
 * YAML and documented, its table is created and its IQ is answered end to end.
 */
class ModuleDiscoveryTest {

    private static final String GREET = "<iq type='get' id='%s' to='parley.test'><greeting xmlns='"
            + GreetingModule.NAMESPACE + "'/></iq>";

    @TempDir
    Path dir;

    @Test
    void aModuleWithOnlyItsPackageAndAServiceEntryRunsEndToEnd() throws Exception {
        ModuleCatalog catalog = FixtureModules.catalog();
        ParleyConfig config = ConfigLoader.parse("domains: [parley.test]\ndata_dir: \"" + dir + "\"\n"
                + "greeting:\n  text: \"good morning\"\n", "parley.yml", catalog.schema());

        try (TestServer server = new TestServer(config, Clock.systemUTC(), catalog)) {
            assertThat(server.modules()).containsSubsequence("disco", "greeting");
            TestClient romeo = server.user("romeo@parley.test").login("romeo@parley.test", "orchard");

            Element first = iq(romeo, GREET.formatted("g1"));
            Element second = iq(romeo, GREET.formatted("g2"));

            assertThat(first.attributeValue("type")).isEqualTo("result");
            assertThat(first.elementText("greeting")).isEqualTo("good morning");
            assertThat(first.element("greeting").attributeValue("count")).isEqualTo("1");
            assertThat(second.element("greeting").attributeValue("count")).isEqualTo("2");
            // Its disco feature (XEP-0030 §3.1) went through its context like every module's.
            Element info = iq(romeo, "<iq type='get' id='d1' to='parley.test'><query xmlns='"
                    + ServerInfo.DISCO_INFO + "'/></iq>");
            assertThat(info.asXML()).contains("var=\"" + GreetingModule.NAMESPACE + "\"");
        }
    }

    @Test
    void itsOptionIsDocumentedWithTheOthers() {
        String doc = ConfigurationDoc.render(FixtureModules.catalog().schema());

        assertThat(doc).contains("### `greeting`\n\nA greeting the server gives (test module).")
                .contains("| `greeting.text` | string | `\"hello\"` | What the server says. |");
    }

    @Test
    void withoutTheServiceEntryNeitherTheModuleNorItsOptionsExist() {
        assertThat(ModuleCatalog.discover().modules()).noneMatch(module -> module.name().equals("greeting"));
        assertThatThrownBy(() -> ConfigLoader.parse("domains: [parley.test]\ngreeting:\n  text: hi\n", "parley.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("greeting: unknown key").hasMessageContaining("parley.yml, line 2");
    }

    @Test
    void unknownKeysInAModuleSectionNameTheKeyAndLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("domains: [parley.test]\ngreeting:\n  txt: hi\n", "parley.yml",
                FixtureModules.catalog().schema()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("greeting.txt: unknown key (known keys in greeting: text) (parley.yml, line 3)");
    }
}
