package dev.wharf.terraform.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;

/**
 * A {@code signing-keys.json} as boring-registry's storage reads it (pkg/storage/storage.go,
 * unmarshalSigningKeys): {@code {"gpg_public_keys":[…]}}, or, "for legacy reasons", one key on its
 * own, {@code {"key_id":"…","ascii_armor":"…"}}, which older boring-registry setups still hold.
 * Read as the list alone, that older form is a namespace with no keys at all, so every provider
 * signed by it is refused for want of a key that is right there.
 */
public final class SigningKeysFile {
    private static final String LIST = "gpg_public_keys";
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
     * its key_id and its ascii_armor.
     */
    public static ObjectNode canonical(ObjectMapper json, byte[] content) throws IOException {
        JsonNode root = json.readTree(content);
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
            return (ObjectNode) root;
        }
        if (!nonEmptyText(root.path("key_id")) || !nonEmptyText(root.path("ascii_armor"))) {
            throw new IOException("neither a \"" + LIST + "\" list nor a single key with a non-empty key_id and ascii_armor: expected "
                    + FORMS);
        }
        ObjectNode wrapped = json.createObjectNode();
        wrapped.putArray(LIST).add(root);
        return wrapped;
    }


    private static boolean nonEmptyText(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty();
    }
}
