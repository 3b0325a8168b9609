package dev.wharf.terraform.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.IOException;
import java.util.Optional;

/** A namespace's signing-keys.json as storage holds it; each is parsed once by digest and kept, since it cannot change. */
final class SigningKeysReader {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ObjectMapper json;
    private final SmallFiles files;
    private final Cache<Digest, SigningKeys> keys = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();

    SigningKeysReader(ArtifactStore store, TerraformLayout layout, ObjectMapper json, SmallFiles files) {
        this.store = store;
        this.layout = layout;
        this.json = json;
        this.files = files;
    }

    Cache<Digest, SigningKeys> cache() {
        return keys;
    }

    Stamped<Optional<SigningKeys>> stamped(String namespace) {
        ProviderNames.checkNamespace(namespace);
        String repository = layout.signingKeysRepository(namespace);
        Stamped<Optional<Manifest>> found = store.resolveStamped(repository, TerraformLayout.SIGNING_KEYS_TAG);
        return new Stamped<>(found.value().map(manifest -> parsed(repository, manifest)), found.generation());
    }

    /** Told from memory alone: never waits. */
    boolean isCurrent(String namespace, Generation answer) {
        return store.isCurrentResolution(layout.signingKeysRepository(namespace), TerraformLayout.SIGNING_KEYS_TAG, answer);
    }

    Optional<SigningKeys> fresh(String namespace) {
        ProviderNames.checkNamespace(namespace);
        String repository = layout.signingKeysRepository(namespace);
        return store.resolveFresh(repository, TerraformLayout.SIGNING_KEYS_TAG).map(manifest -> parsed(repository, manifest));
    }

    /** The keys of a signing-keys.json manifest found in {@code repository}. */
    SigningKeys parsed(String repository, Manifest manifest) {
        Descriptor layer = SmallFiles.firstLayer(manifest, TerraformLayout.SIGNING_KEYS_TAG);
        return keys.get(layer.digest(), d -> parse(files.read(repository, layer), repository));
    }

    private SigningKeys parse(byte[] content, String repository) {
        try {
            return SigningKeysFile.read(json, content);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, "signing-keys.json in " + repository
                    + " is not readable: " + e.getMessage());
        }
    }
}
