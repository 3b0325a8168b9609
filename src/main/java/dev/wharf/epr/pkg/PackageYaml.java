package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * A package's YAML files as EPR reads them: bounded in size, one clear error for broken YAML, and
 * dotted keys expanded into objects as go-ucfg does.
 */
final class PackageYaml {
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private PackageYaml() {
    }

    /** {@code path} in {@code files}, parsed, with dotted keys expanded at every level. */
    static JsonNode read(PackageFiles files, String path) throws InvalidPackageException {
        return expandDots(readTree(files, path));
    }

    private static JsonNode readTree(PackageFiles files, String path) throws InvalidPackageException {
        try {
            if (files.size(path) > MAX_MANIFEST_BYTES) {
                throw new InvalidPackageException(path + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            try (InputStream in = files.open(path)) {
                JsonNode node = Json.yaml().readTree(in);
                return node == null ? JsonNodeFactory.instance.objectNode() : node;
            }
        } catch (JsonProcessingException e) {
            throw new InvalidPackageException(path + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** go-ucfg reads {@code a.b: x} as {@code a: {b: x}}; so does Wharf, at every level. */
    static JsonNode expandDots(JsonNode node) {
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            array.forEach(e -> out.add(expandDots(e)));
            return out;
        }
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] parts = e.getKey().split("\\.");
            ObjectNode target = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = target.get(parts[i]);
                if (!(next instanceof ObjectNode)) {
                    next = JsonNodeFactory.instance.objectNode();
                    target.set(parts[i], next);
                }
                target = (ObjectNode) next;
            }
            merge(target, parts[parts.length - 1], expandDots(e.getValue()));
        }
        return out;
    }

    private static void merge(ObjectNode target, String key, JsonNode value) {
        JsonNode existing = target.get(key);
        if (existing instanceof ObjectNode existingObject && value instanceof ObjectNode valueObject) {
            valueObject.fields().forEachRemaining(f -> merge(existingObject, f.getKey(), f.getValue()));
        } else {
            target.set(key, value);
        }
    }
}
