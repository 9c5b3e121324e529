package im.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.module.ModuleCatalog;
import im.parley.server.module.XmppModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from the option declarations of the core and of every
 * module on the class path (STYLE.md #9). Run with
 * {@code -Dparley.docs.write=true} (or {@link ConfigurationDoc#main}) to rewrite it.
 */
class ConfigurationDocTest {

    private static final ConfigSchema SCHEMA = ModuleCatalog.discover().schema();

    @Test
    void docsMatchTheDeclaredOptions() throws Exception {
        Path doc = repositoryRoot().resolve("docs/configuration.md");
        String generated = ConfigurationDoc.render();
        if (Boolean.getBoolean("parley.docs.write")) {
            Files.createDirectories(doc.getParent());
            Files.writeString(doc, generated, StandardCharsets.UTF_8);
        }

        assertThat(doc).as("docs/configuration.md is stale: run ConfigurationDocTest with -Dparley.docs.write=true")
                .exists();
        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
                .as("docs/configuration.md is stale: run ConfigurationDocTest with -Dparley.docs.write=true")
                .isEqualTo(generated);
    }

    @Test
    void everyOptionIsDocumented() {
        String doc = ConfigurationDoc.render();
        for (ConfigOption<?> option : SCHEMA.options()) {
            assertThat(doc).contains("| `" + option.key() + "` |");
        }
    }

    @Test
    void everyModuleOptionIsDocumentedInItsSection() {
        String doc = ConfigurationDoc.render();
        for (XmppModule module : ModuleCatalog.discover().modules()) {
            for (ModuleOption<?> option : module.options()) {
                assertThat(doc).contains("### `" + option.section().key() + "`\n\n" + option.section().doc());
                assertThat(doc).contains("| `" + option.key() + "` | " + option.type().description() + " |");
            }
        }
    }

    @Test
    void theExampleFileLoadsToTheDefaults() throws Exception {
        assertThat(ConfigLoader.parse(ConfigurationDoc.exampleYaml(SCHEMA), "example.yml"))
                .isEqualTo(ParleyConfig.defaults());
    }

    @Test
    void theCommentedCertificateExampleIsValid() throws Exception {
        String yaml = "domains: [\"example.org\"]\ntls:\n  certificates: "
                + SCHEMA.option("tls.certificates").example() + "\n";

        assertThat(ConfigLoader.parse(yaml, "t.yml").tls().certificates()).containsOnlyKeys("example.org");
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("server/pom.xml")) && Files.exists(dir.resolve("core/pom.xml")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
