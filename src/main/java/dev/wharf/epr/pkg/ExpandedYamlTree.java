package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds the tree of one YAML document from the parser's tokens with go-ucfg's dotted keys
 * ({@code a.b: x} is {@code a: {b: x}}) already expanded, in the same pass: what
 * {@code readTree} followed by a copy that expands the keys gave, without the second tree. The
 * values are the nodes {@code readTree} makes: strings, booleans, nulls and ints here (the tokens
 * every manifest is made of), any other scalar through the mapper's own node deserializer. Within a
 * mapping a repeated key replaces the earlier value in the earlier key's place, as {@code readTree}
 * does, before the keys are expanded.
 *
 * <p>Anchors, aliases and merge keys are read as go-yaml (under go-ucfg, in EPR) reads them: an
 * alias is a copy of the value anchored with its name ({@link YamlAliases} bounds what they
 * cost), and {@code <<: *base} (or a list of such) puts the keys of those mappings into the one
 * it is in, the earlier mapping of a list winning, a key written after it replacing the merged one.
 */
final class ExpandedYamlTree {
    /** go-yaml's merge key, when it is written plain. */
    private static final String MERGE_KEY = "<<";

    private final ObjectMapper mapper;
    private final JsonNodeFactory nodes;

    ExpandedYamlTree(ObjectMapper mapper) {
        this.mapper = mapper;
        this.nodes = mapper.getNodeFactory();
    }

    /** The value at the parser's current token, expanded; the parser is left on its last token. */
    JsonNode value(AnchoredYamlFactory.AnchoredYamlParser p) throws IOException {
        return value(p, new YamlAliases());
    }

    private JsonNode value(AnchoredYamlFactory.AnchoredYamlParser p, YamlAliases aliases) throws IOException {
        aliases.counted(p);
        if (p.isCurrentAlias()) {
            return aliases.alias(p.getText(), p);
        }
        String anchor = p.anchor();
        if (anchor == null) {
            return unanchored(p, aliases);
        }
        aliases.opened(anchor);
        JsonNode value = unanchored(p, aliases);
        // Kept as read: the tree's own node may still take dotted keys of the mapping around it
        // (a: {b: &x {k: 1}, b.j: 2}), which go-yaml's aliases, resolved before go-ucfg expands
        // those keys, never see.
        aliases.anchored(anchor, value.deepCopy());
        return value;
    }

    private JsonNode unanchored(AnchoredYamlFactory.AnchoredYamlParser p, YamlAliases aliases) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return object(p, aliases);
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode array = nodes.arrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                array.add(value(p, aliases));
            }
            return array;
        }
        if (t == JsonToken.VALUE_STRING) {
            return nodes.textNode(p.getText());
        }
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return nodes.booleanNode(t == JsonToken.VALUE_TRUE);
        }
        if (t == JsonToken.VALUE_NULL) {
            return nodes.nullNode();
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return nodes.numberNode(p.getIntValue());
        }
        // Longer ints, floats, binary: rare in a package, and their nodes depend on the mapper's settings.
        return mapper.readTree(p);
    }

    private JsonNode object(AnchoredYamlFactory.AnchoredYamlParser p, YamlAliases aliases) throws IOException {
        ObjectNode raw = nodes.objectNode();
        boolean dotted = false;
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            aliases.counted(p);
            boolean merge = key.equals(MERGE_KEY) && p.plainKey();
            p.nextToken();
            if (merge) {
                merge(raw, value(p, aliases), p);
                continue;
            }
            boolean dottedKey = key.indexOf('.') >= 0;
            // Interned, as the nodes' text is (the mapper's node factory): the trees a package keeps
            // (mappings, settings, privileges) repeat the same keys in every data stream and version.
            // A dotted key is not kept: expand() interns its parts.
            raw.replace(dottedKey ? key : key.intern(), value(p, aliases));
            dotted |= dottedKey;
        }
        return dotted ? expand(raw) : raw;
    }

    /**
     * The keys of {@code merged} (a mapping, or a list of them) put into {@code raw} as go-yaml
     * puts them: each replaces a key of the same name read before it, and of a list the earlier
     * mapping wins, so the list is put in from its end.
     */
    private static void merge(ObjectNode raw, JsonNode merged, JsonParser p) throws JsonParseException {
        List<JsonNode> mappings = new ArrayList<>();
        if (merged.isArray()) {
            merged.forEach(mappings::add);
            Collections.reverse(mappings);
        } else {
            mappings.add(merged);
        }
        for (JsonNode mapping : mappings) {
            if (!mapping.isObject()) {
                throw new JsonParseException(p, "map merge requires map or sequence of maps as the value");
            }
            mapping.properties().forEach(e -> raw.replace(e.getKey(), e.getValue()));
        }
    }

    /** The mapping {@code raw}, whose values are expanded already, with its own dotted keys expanded. */
    private ObjectNode expand(ObjectNode raw) {
        ObjectNode out = nodes.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = raw.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] parts = e.getKey().split("\\.");
            for (int i = 0; i < parts.length; i++) {
                parts[i] = parts[i].intern();
            }
            ObjectNode target = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = target.get(parts[i]);
                if (!(next instanceof ObjectNode)) {
                    next = nodes.objectNode();
                    target.set(parts[i], next);
                }
                target = (ObjectNode) next;
            }
            merge(target, parts[parts.length - 1], e.getValue());
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
