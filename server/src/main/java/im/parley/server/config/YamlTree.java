package im.parley.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/**
 * The configuration file as a tree of Jackson nodes, built straight from the YAML parser's tokens
 * as {@code ObjectMapper.readTree} builds it, without an {@code ObjectMapper}: the server reads one
 * file once, and the mapper's set-up (type factory, deserializer caches and their ~400 classes)
 * was a cost of every start (issue 19).
 */
final class YamlTree {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTree() {
    }

    /** The first document's root, or null for an empty file. */
    static JsonNode read(YAMLFactory factory, String yaml) throws IOException {
        try (JsonParser parser = factory.createParser(yaml)) {
            return parser.nextToken() == null ? null : value(parser);
        }
    }

    /** The value that starts at the parser's current token; leaves the parser on its last token. */
    private static JsonNode value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return switch (parser.getNumberType()) {
                    case BIG_DECIMAL -> NODES.numberNode(parser.getDecimalValue());
                    case FLOAT -> NODES.numberNode(parser.getFloatValue());
                    default -> NODES.numberNode(parser.getDoubleValue());
                };
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            case VALUE_EMBEDDED_OBJECT -> {
                Object embedded = parser.getEmbeddedObject();
                return embedded instanceof byte[] bytes ? NODES.binaryNode(bytes) : NODES.pojoNode(embedded);
            }
            default -> throw new IOException("unexpected YAML token " + token);
        }
    }
}
