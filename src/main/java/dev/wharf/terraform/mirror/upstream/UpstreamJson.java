package dev.wharf.terraform.mirror.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * The typed members of an upstream's JSON, read as terraform's Go encoding/json reads them: a member
 * of another JSON type than its field's is an error there, not a value to convert. Read with
 * Jackson's leniency, {@code "version": 1.10} was the version "1.1", {@code true} the text "true"
 * and an object where a list belongs the list of its values.
 */
final class UpstreamJson {
    private UpstreamJson() {
    }

    /** The string member {@code field} of {@code object} (at {@code at} in the answer from {@code uri}); "" when absent or null, as in Go. */
    static String text(JsonNode object, String field, String at, URI uri) {
        JsonNode value = object.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw wrongType(uri, at + field, value, "a string");
        }
        return value.asText();
    }

    /** The list member {@code field} of {@code object}; an empty list when absent or null, as in Go. */
    static JsonNode list(JsonNode object, String field, String at, URI uri) {
        JsonNode value = object.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!value.isArray()) {
            throw wrongType(uri, at + field, value, "a list");
        }
        return value;
    }

    /** {@code node}, an element of a list at {@code at}, which must be an object. */
    static JsonNode object(JsonNode node, String at, URI uri) {
        if (!node.isObject()) {
            throw wrongType(uri, at, node, "an object");
        }
        return node;
    }

    static UpstreamException wrongType(URI uri, String field, JsonNode value, String expected) {
        return new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, uri + " answered " + field + " as " + kind(value) + ", not "
                + expected + ": terraform does not read such an answer");
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
