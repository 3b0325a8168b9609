package dev.wharf.terraform.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.TagLocks;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.SignatureException;
import dev.wharf.terraform.provider.SignatureVerifier;
import dev.wharf.terraform.provider.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code upload signing-key}: adds an ASCII-armored public key to a namespace's keys, replacing a
 * key with the same id. A key already there (same id, same armor) is a no-op.
 *
 * <p>A registry has no conditional tag PUT, so a read-merge-write of {@code signing-keys.json}
 * can always be overtaken: a writer that read the list before our write and whose write lands
 * after our checks (a paused or slow process; no wait covers every delay) replaces the list with
 * one that lacks our key. So the key is first stored under its own tag
 * ({@link TerraformLayout#signingKeyTag}), which no other key's writer touches, and readers take
 * the list together with those tags ({@code ProviderService}). The list is then rewritten as
 * everything stored (list and single keys) plus this key, for readers that know only the list;
 * each later writer repairs a list an overtaking write left short. Writers in this process take
 * turns per namespace, so they do not overtake each other.
 */
public final class SigningKeyUploader {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ProviderService providers;
    private final ObjectMapper json;
    private final TagLocks locks = new TagLocks();

    public SigningKeyUploader(ArtifactStore store, TerraformLayout layout, ProviderService providers, ObjectMapper json) {
        this.store = store;
        this.layout = layout;
        this.providers = providers;
        this.json = json;
    }

    /** Returns the key id added. */
    public String add(String namespace, Path armoredKey) {
        TerraformNames.checkNamespace(namespace).ifPresent(m -> {
            throw new UploadException("--namespace: " + m);
        });
        String armor;
        try {
            armor = Files.readString(armoredKey, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UploadException("cannot read " + armoredKey + ": " + e.getMessage());
        }
        return addArmored(namespace, armor, armoredKey.toString());
    }

    /** Adds an armored key read from {@code source} (named in errors); returns its key id. */
    public String addArmored(String namespace, String armor, String source) {
        TerraformNames.checkNamespace(namespace).ifPresent(m -> {
            throw new UploadException("--namespace: " + m);
        });
        String keyId;
        try {
            keyId = SignatureVerifier.primaryKeyId(armor);
        } catch (SignatureException e) {
            throw new UploadException(source + ": " + e.getMessage() + " (export it with gpg --armor --export KEYID)");
        }
        SigningKeys.GpgPublicKey key = new SigningKeys.GpgPublicKey(keyId, armor);
        String repository = layout.signingKeysRepository(namespace);
        try (TagLocks.Held held = locks.hold(repository, TerraformLayout.SIGNING_KEYS_TAG)) {
            if (providers.freshSigningKeys(namespace).map(k -> k.holds(key)).orElse(false)) {
                return keyId;
            }
            write(repository, TerraformLayout.signingKeyTag(keyId), new SigningKeys(List.of(key)));
            // Read after our key's own tag is stored: the list written now holds every key stored so far.
            SigningKeys stored = providers.freshSigningKeys(namespace).orElse(new SigningKeys(List.of()));
            write(repository, TerraformLayout.SIGNING_KEYS_TAG, stored.holds(key) ? stored : stored.with(key));
            return keyId;
        }
    }

    /** Stores {@code keys} in the signing-keys.json form under {@code tag}, replacing what the tag held. */
    private void write(String repository, String tag, SigningKeys keys) {
        byte[] content;
        try {
            content = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(keys);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write signing-keys.json", e);
        }
        Layer layer = Layer.file(MediaTypes.SIGNING_KEYS, TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(content));
        store.push(repository, tag,
                new Artifact(MediaTypes.SIGNING_KEYS_ARTIFACT, List.of(layer), Map.of(StandardAnnotations.TITLE, TerraformLayout.SIGNING_KEYS_TAG)),
                true);
    }
}
