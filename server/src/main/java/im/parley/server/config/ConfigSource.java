package im.parley.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where configuration values came from: the file name and the line of each key path, so that
 * an error can point at the line to fix.
 */
public final class ConfigSource {
    private final String fileName;
    private final Map<String, Integer> lines;

    private ConfigSource(String fileName, Map<String, Integer> lines) {
        this.fileName = fileName;
        this.lines = lines;
    }

    /** Records the line of every key in {@code yaml}; the text must already be known to parse. */
    static ConfigSource of(String fileName, String yaml, YAMLFactory factory) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = factory.createParser(yaml)) {
            if (parser.nextToken() != null) {
                record(parser, "", lines);
            }
        }
        return new ConfigSource(fileName, lines);
    }

    static ConfigSource none() {
        return new ConfigSource(null, Map.of());
    }

    /** An error at {@code key}: the key path first, then the message, then where it is. */
    public ConfigException error(String key, String message) {
        Integer line = lines.get(key);
        StringBuilder text = new StringBuilder(key.isEmpty() ? "(top level)" : key).append(": ").append(message);
        if (fileName != null) {
            text.append(" (").append(fileName);
            if (line != null) {
                text.append(", line ").append(line);
            }
            text.append(')');
        }
        return new ConfigException(text.toString());
    }

    public static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    private static void record(JsonParser parser, String path, Map<String, Integer> lines) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = child(path, parser.currentName());
                lines.put(key, parser.currentTokenLocation().getLineNr());
                parser.nextToken();
                record(parser, key, lines);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String key = path + "[" + index++ + "]";
                lines.put(key, parser.currentTokenLocation().getLineNr());
                record(parser, key, lines);
            }
        }
    }
}
