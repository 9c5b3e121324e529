package im.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** The configuration tree built from the parser's tokens is the tree {@code ObjectMapper.readTree} builds. */
class YamlTreeTest {

    private static final YAMLFactory YAML =
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Test
    void buildsWhatObjectMapperBuildsForEveryKindOfValue() throws Exception {
        String yaml = String.join("\n",
                "domains: [\"example.org\", 'conference.example.org']",
                "c2s:",
                "  port: 5222",
                "  enabled: true",
                "big: 12345678901",
                "bigger: 123456789012345678901234567890",
                "ratio: 0.75",
                "nothing: null",
                "empty: ~",
                "text: |",
                "  two",
                "  lines",
                "list:",
                "  - a: 1",
                "    b: [x, {c: no}]",
                "  - 2.5e3",
                "");

        assertThat(YamlTree.read(YAML, yaml)).isEqualTo(new ObjectMapper(YAML).readTree(yaml));
    }

    @Test
    void anEmptyFileHasNoRootAndADuplicateKeyIsAnError() throws Exception {
        assertThat(YamlTree.read(YAML, "")).isNull();
        assertThat(YamlTree.read(YAML, "# only a comment\n")).isNull();
        assertThatThrownBy(() -> YamlTree.read(YAML, "a: 1\na: 2\n")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Duplicate field 'a'");
    }
}
