package dev.wharf.terraform.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.SigningKeysFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mirror layout's {@code {base}/mirror/providers/{hostname}/{namespace}:signing-keys.json}: the keys
 * the upstream signed its mirrored releases with, merged as releases are stored.
 */
final class MirrorSigningKeys {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMALL_FILE_LIMIT = 1 << 20;

    private final ArtifactStore store;
    private final TerraformLayout layout;

    MirrorSigningKeys(ArtifactStore store, TerraformLayout layout) {
        this.store = store;
        this.layout = layout;
    }

    /**
     * Adds the upstream's keys to the namespace's {@code signing-keys.json} in the mirror layout,
     * keeping keys already there. Concurrent writers can only lose each other's additions, never
     * existing keys, since each writes the union it read.
     */
    void add(MirrorCoordinates provider, String signingKeysJson) {
        String repository = layout.mirrorOf(provider.hostname()).signingKeysRepository(provider.namespace());
        try {
            // Both sides may be boring-registry's older single-key form: a bucket import passes its
            // file through, and a stored legacy file read as a list would lose its key on this rewrite.
            JsonNode incoming = SigningKeysFile.canonical(JSON, signingKeysJson.getBytes(StandardCharsets.UTF_8)).path("gpg_public_keys");
            ObjectNode merged = JSON.createObjectNode();
            ArrayNode keys = merged.putArray("gpg_public_keys");
            Set<String> ids = new HashSet<>();
            Optional<byte[]> current = readSmall(repository, TerraformLayout.SIGNING_KEYS_TAG);
            if (current.isPresent()) {
                for (JsonNode key : storedKeys(repository, current.get())) {
                    if (ids.add(key.path("key_id").asText().toUpperCase(java.util.Locale.ROOT))) {
                        keys.add(key);
                    }
                }
            }
            boolean changed = false;
            for (JsonNode key : incoming) {
                if (ids.add(key.path("key_id").asText().toUpperCase(java.util.Locale.ROOT))) {
                    keys.add(key);
                    changed = true;
                }
            }
            if (!changed) {
                return;
            }
            byte[] content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(merged);
            store.push(repository, TerraformLayout.SIGNING_KEYS_TAG, new Artifact(MediaTypes.SIGNING_KEYS_ARTIFACT,
                    List.of(Layer.file(MediaTypes.SIGNING_KEYS, TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(content))),
                    Map.of(StandardAnnotations.TITLE, TerraformLayout.SIGNING_KEYS_TAG)), true);
        } catch (IOException e) {
            throw new MirrorException(MirrorException.Reason.UPSTREAM_FAILED, "the upstream's signing keys are not valid JSON: "
                    + e.getMessage(), e);
        }
    }

    private static JsonNode storedKeys(String repository, byte[] content) {
        try {
            return SigningKeysFile.canonical(JSON, content).path("gpg_public_keys");
        } catch (IOException e) {
            throw new MirrorException(MirrorException.Reason.UPSTREAM_FAILED, "signing-keys.json in " + repository
                    + " is not readable: " + e.getMessage(), e);
        }
    }

    private Optional<byte[]> readSmall(String repository, String tag) throws IOException {
        Optional<Manifest> manifest = store.resolve(repository, tag);
        if (manifest.isEmpty() || manifest.get().layers().isEmpty()) {
            return Optional.empty();
        }
        Descriptor layer = manifest.get().layers().get(0);
        if (layer.size() < 0 || layer.size() > SMALL_FILE_LIMIT) {
            throw new IOException(repository + ":" + tag + " declares " + layer.size() + " bytes; at most 1 MiB expected");
        }
        try (InputStream in = store.openBlob(repository, layer.digest())) {
            // Never more than the manifest declares: a registry that sends on is not buffered.
            byte[] content = in.readNBytes((int) layer.size() + 1);
            if (content.length > layer.size()) {
                throw new IOException(repository + ":" + tag + " holds more than the " + layer.size() + " bytes its manifest declares");
            }
            return Optional.of(content);
        }
    }

}
