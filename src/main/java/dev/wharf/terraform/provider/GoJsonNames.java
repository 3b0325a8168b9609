package dev.wharf.terraform.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON object's member names matched to struct fields as Go's encoding/json matches them, for files
 * boring-registry reads with it: a name matches a field whatever its case ({@code Key_ID} is
 * {@code key_id}), under Unicode simple case folding as Go's {@code bytes.EqualFold} does (so the
 * Kelvin sign matches 'k' and the long s 's'). Members are taken in order, each setting its field, so
 * of two that differ only in case the later one wins; a null sets a list field back to absent and
 * leaves a string field as it was.
 */
public final class GoJsonNames {
    private GoJsonNames() {
    }

    /**
     * {@code object} with every member that matches one of {@code stringFields} or {@code listFields}
     * renamed to that field, applying Go's rules above; other members are kept as they are.
     */
    public static ObjectNode fold(ObjectNode object, Set<String> stringFields, Set<String> listFields) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            Optional<String> field = field(member.getKey(), stringFields).or(() -> field(member.getKey(), listFields));
            if (field.isEmpty()) {
                out.set(member.getKey(), member.getValue());
            } else if (!member.getValue().isNull()) {
                out.set(field.get(), member.getValue());
            } else if (listFields.contains(field.get())) {
                out.remove(field.get());
            }
        }
        return out;
    }

    /** {@link #fold(ObjectNode, Set, Set)} for an object; any other node (an array, a string, null) as it is, for its reader to refuse. */
    public static JsonNode fold(JsonNode node, Set<String> stringFields, Set<String> listFields) {
        return node instanceof ObjectNode object ? fold(object, stringFields, listFields) : node;
    }

    private static Optional<String> field(String name, Set<String> fields) {
        String folded = folded(name);
        return fields.stream().filter(f -> folded(f).equals(folded)).findFirst();
    }

    /** Go's foldName: ASCII letters upper-cased, any other code point mapped to the upper case of its lower case. */
    static String folded(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (c < 0x80) {
                out.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : (char) c);
            } else {
                out.appendCodePoint(Character.toUpperCase(Character.toLowerCase(c)));
            }
        });
        return out.toString();
    }
}
