package im.parley.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one scenario run, in order: one {@code key=value} summary line for humans and
 * scripts, and a JSON document with the same figures plus any detail (e.g. each step of a rate
 * search).
 */
public final class ScenarioResult {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> figures = new LinkedHashMap<>();

    public ScenarioResult(String scenario, String server) {
        figures.put("scenario", scenario);
        figures.put("server", server);
    }

    public ScenarioResult put(String key, Object value) {
        figures.put(key, value);
        return this;
    }

    public ScenarioResult putAll(Map<String, Object> more) {
        figures.putAll(more);
        return this;
    }

    public Map<String, Object> figures() {
        return figures;
    }

    /** Errors of the run: failed logins, lost connections, error stanzas. */
    public long errors() {
        Object errors = figures.get("errors");
        return errors instanceof Number n ? n.longValue() : 0;
    }

    /** Scalar figures only, as {@code key=value} pairs on one line. */
    public String summaryLine() {
        StringBuilder line = new StringBuilder();
        figures.forEach((key, value) -> {
            if (!(value instanceof Map) && !(value instanceof Iterable)) {
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(key).append('=').append(String.valueOf(value).replace(' ', '_'));
            }
        });
        return line.toString();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(figures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code <dir>/<server>-<scenario>.json} and returns its path. */
    public Path writeJson(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(figures.get("server") + "-" + figures.get("scenario") + ".json");
            Files.writeString(file, toJson() + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
