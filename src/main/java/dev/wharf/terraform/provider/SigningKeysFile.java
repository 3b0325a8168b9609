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
        JsonNode root = GoJsonNames.fold(read, KEY_FIELDS, Set.of(LIST));
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
            list.forEach(key -> keys.add(GoJsonNames.fold(key, KEY_FIELDS, Set.of())));
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

    /**
     * The {@code signing_keys} object of a provider registry's download answer as terraform reads it:
     * only the {@code gpg_public_keys} list (terraform knows no single-key form there; a missing or
     * null list is no keys), member names matched as Go's encoding/json matches them, and each key
     * needing only its {@code ascii_armor}: terraform never reads {@code key_id}, so a key without one
     * gets the id of its armored key. Comes out in signing-keys.json's canonical form.
     */
    public static ObjectNode fromDownloadAnswer(ObjectMapper json, JsonNode signingKeys) throws IOException {
        ObjectNode out = json.createObjectNode();
        ArrayNode keys = out.putArray(LIST);
        if (signingKeys.isMissingNode() || signingKeys.isNull()) {
            return out;
        }
        if (!(signingKeys instanceof ObjectNode object)) {
            throw new IOException("signing_keys is a JSON " + signingKeys.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an object {\"gpg_public_keys\":[{\"ascii_armor\":…}]}");
        }
        JsonNode list = GoJsonNames.fold(object, Set.of(), Set.of(LIST)).path(LIST);
        if (list.isMissingNode()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IOException("signing_keys.gpg_public_keys is not a list");
        }
        for (JsonNode key : list) {
            if (!(key instanceof ObjectNode keyObject)) {
                throw new IOException("signing_keys.gpg_public_keys holds a JSON " + key.getNodeType().name().toLowerCase(Locale.ROOT)
                        + ", not a key {\"ascii_armor\":…}");
            }
            ObjectNode folded = GoJsonNames.fold(keyObject, KEY_FIELDS, Set.of());
            if (!nonEmptyText(folded.path("ascii_armor"))) {
                throw new IOException("a key in signing_keys.gpg_public_keys has no ascii_armor");
            }
            if (!nonEmptyText(folded.path("key_id"))) {
                try {
                    folded.put("key_id", SignatureVerifier.primaryKeyId(folded.path("ascii_armor").asText()));
                } catch (SignatureException e) {
                    throw new IOException("a key in signing_keys.gpg_public_keys, given without key_id, is unreadable: " + e.getMessage(), e);
                }
            }
            keys.add(folded);
        }
        return out;
    }


    private static boolean nonEmptyText(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty();
    }
}
