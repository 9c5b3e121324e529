package im.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from the option declarations (STYLE.md #9). Run with
 * {@code -Dparley.docs.write=true} (or {@link ConfigurationDoc#main}) to rewrite it.
 */
class ConfigurationDocTest {

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
        for (ConfigOption<?> option : ParleyOptions.ALL) {
            assertThat(doc).contains("| `" + option.key() + "` |");
        }
    }

    @Test
    void theExampleFileLoadsToTheDefaults() throws Exception {
        assertThat(ConfigLoader.parse(ConfigurationDoc.exampleYaml(), "example.yml")).isEqualTo(ParleyConfig.defaults());
    }

    @Test
    void theCommentedCertificateExampleIsValid() throws Exception {
        String yaml = "domains: [\"example.org\"]\ntls:\n  certificates: "
                + ParleyOptions.ALL.stream().filter(o -> o.key().equals("tls.certificates")).findFirst()
                        .orElseThrow().example() + "\n";

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
