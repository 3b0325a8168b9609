package dev.wharf.terraform.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code signing-keys.json} as boring-registry's storage reads it (pkg/storage/storage.go,
 * unmarshalSigningKeys): {@code {"gpg_public_keys":[…]}}, or, "for legacy reasons", one key on its
 * own, {@code {"key_id":"…","ascii_armor":"…"}}, which older boring-registry setups still hold.
 * Read as the list alone, that older form is a namespace with no keys at all, so every provider
 * signed by it is refused for want of a key that is right there. Member names are matched as Go's
 * encoding/json matches them ({@link GoJsonNames}): {@code {"GPG_Public_Keys":[{"Key_ID":…}]}} is read
 * as boring-registry reads it, not as a namespace without keys.
 */
public final class SigningKeysFile {
    private static final String LIST = "gpg_public_keys";
    private static final Set<String> KEY_FIELDS = Set.of("key_id", "ascii_armor", "trust_signature", "source", "source_url");
    private static final String FORMS = "{\"gpg_public_keys\":[{\"key_id\":…,\"ascii_armor\":…}]} or the older single "
            + "{\"key_id\":…,\"ascii_armor\":…}";

    private SigningKeysFile() {
    }

    /** The keys of {@code content}, in either form. */
    public static SigningKeys read(ObjectMapper json, byte[] content) throws IOException {
        return json.treeToValue(canonical(json, content), SigningKeys.class);
    }

    /**
     * {@code content} as {@code {"gpg_public_keys":[…]}}, a legacy single key wrapped in the list,
     * every field of each key kept. Like boring-registry, a list that is there (even empty) is taken
     * as it is, and only a missing or null one makes the object a single key, which then needs both
     * its key_id and its ascii_armor. Member names come out in their canonical lower case.
     */
    public static ObjectNode canonical(ObjectMapper json, byte[] content) throws IOException {
        JsonNode read = json.readTree(content);
        JsonNode root = read instanceof ObjectNode object ? GoJsonNames.fold(object, KEY_FIELDS, Set.of(LIST)) : read;
        if (root == null || root.isMissingNode()) {
            throw new IOException("empty, not " + FORMS);
        }
        if (!root.isObject() && !root.isNull()) {
            throw new IOException("a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT) + ", not " + FORMS);
        }
        JsonNode list = root.path(LIST);
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw new IOException("\"" + LIST + "\" is not a list: expected " + FORMS);
            }
            ObjectNode folded = json.createObjectNode();
            ArrayNode keys = folded.putArray(LIST);
            list.forEach(key -> keys.add(key instanceof ObjectNode object ? GoJsonNames.fold(object, KEY_FIELDS, Set.of()) : key));
            return folded;
        }
        if (!nonEmptyText(root.path("key_id")) || !nonEmptyText(root.path("ascii_armor"))) {
            throw new IOException("neither a \"" + LIST + "\" list nor a single key with a non-empty key_id and ascii_armor: expected "
                    + FORMS);
        }
        ObjectNode wrapped = json.createObjectNode();
        ObjectNode key = (ObjectNode) root.deepCopy();
        key.remove(LIST);
        wrapped.putArray(LIST).add(key);
        return wrapped;
    }


    private static boolean nonEmptyText(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty();
    }
}
