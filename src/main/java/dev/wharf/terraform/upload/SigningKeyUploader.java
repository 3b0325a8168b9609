package dev.wharf.terraform.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StandardAnnotations;
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
 * {@code upload signing-key}: adds an ASCII-armored public key to a namespace's
 * {@code signing-keys.json} (creating it), replacing a key with the same id. The list is a living
 * document, so this is the one tag Wharf rewrites.
 */
public final class SigningKeyUploader {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ProviderService providers;
    private final ObjectMapper json;

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
        SigningKeys keys = providers.signingKeys(namespace).orElse(new SigningKeys(List.of()))
                .with(new SigningKeys.GpgPublicKey(keyId, armor));
        byte[] content;
        try {
            content = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(keys);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write signing-keys.json", e);
        }
        Layer layer = Layer.file(MediaTypes.SIGNING_KEYS, TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(content));
        store.push(layout.signingKeysRepository(namespace), TerraformLayout.SIGNING_KEYS_TAG,
                new Artifact(MediaTypes.SIGNING_KEYS_ARTIFACT, List.of(layer), Map.of(StandardAnnotations.TITLE, TerraformLayout.SIGNING_KEYS_TAG)),
                true);
        return keyId;
    }
}
