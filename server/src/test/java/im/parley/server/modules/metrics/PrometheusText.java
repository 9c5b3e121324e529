package im.parley.server.modules.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape read by the rules of the Prometheus text exposition format (0.0.4; OpenMetrics 1.0
 * without its {@code # EOF}): names and label names by their grammar, at most one {@code # TYPE}
 * per family and before its samples, the samples of a family in one group, each sample in a family
 * with a type. Any break of them fails the test.
 */
final class PrometheusText {

    private static final Pattern TYPE = Pattern.compile(
            "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped|unknown|info|stateset|gaugehistogram)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})? (\\S+)( \\S+)?");
    private static final String[] SUFFIXES = {"", "_total", "_count", "_sum", "_bucket", "_created", "_max"};

    /** Family name → type, in order. */
    private final Map<String, String> types = new LinkedHashMap<>();
    /** "name{labels}" → value. */
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String body) {
        PrometheusText text = new PrometheusText();
        Set<String> finished = new LinkedHashSet<>();
        String current = null;
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ")) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                assertThat(text.types.put(type.group(1), type.group(2))).as("a second TYPE line: %s", line).isNull();
                if (current != null) {
                    finished.add(current);
                }
                current = type.group(1);
                continue;
            }
            assertThat(line).as("a comment other than HELP and TYPE").doesNotStartWith("#");
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
            String family = text.familyOf(sample.group(1));
            assertThat(family).as("the family of %s has a TYPE line before it", line).isNotNull();
            assertThat(family).as("the samples of %s are one group", family).isEqualTo(current);
            assertThat(finished).doesNotContain(family);
            double value = switch (sample.group(4)) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(sample.group(4));
            };
            String labels = sample.group(3) == null ? "" : sample.group(3);
            text.samples.put(sample.group(1) + "{" + labels + "}", value);
        }
        return text;
    }

    /** The families, counters named without their {@code _total} (as the text format 0.0.4 names them). */
    Set<String> families() {
        Set<String> names = new LinkedHashSet<>();
        types.forEach((name, type) -> names.add(type.equals("counter") && name.endsWith("_total")
                ? name.substring(0, name.length() - "_total".length()) : name));
        return names;
    }

    /** The value of the sample {@code name} whose labels include {@code label} (e.g. {@code kind="message"}). */
    double value(String name, String label) {
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String key = sample.getKey();
            if (key.startsWith(name + "{") && (key.contains("{" + label) || key.contains("," + label))) {
                return sample.getValue();
            }
        }
        throw new AssertionError("no sample " + name + " with " + label + " in " + samples.keySet());
    }

    private String familyOf(String sampleName) {
        for (String suffix : SUFFIXES) {
            if (sampleName.endsWith(suffix)) {
                String family = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(family)) {
                    return family;
                }
            }
        }
        return null;
    }
}
