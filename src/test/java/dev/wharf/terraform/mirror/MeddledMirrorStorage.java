package dev.wharf.terraform.mirror;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TagDeletingStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The mirror's storage over docker-registry under {@link ExclusivePublishStore}, as boring-registry runs it, with a
 * {@link TagDeletingStore} beneath that plays someone's clean-up or another writer at the moment a test chooses.
 */
final class MeddledMirrorStorage implements AutoCloseable {
    static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");
    static final String ZIP = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
    static final String SUMS = "terraform-provider-dummy_1.0.0_SHA256SUMS";
    static final String SIGNATURE = SUMS + ".sig";
    static final String REPO = "boring-registry/mirror/providers/registry.example.test/acme/dummy";

    final DockerRegistryServer registry;
    final TagDeletingStore meddling;
    final ArtifactStore store;
    final MirrorStorage storage;

    MeddledMirrorStorage(Path dir) throws IOException {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        meddling = new TagDeletingStore(new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty())));
        store = new ExclusivePublishStore(meddling);
        storage = new MirrorStorage(store, TerraformLayout.under("boring-registry"), Files.createDirectories(dir.resolve("tmp")));
    }

    /** What the release's file {@code tag} holds now. */
    byte[] storedContent(String tag) throws IOException {
        Manifest manifest = store.resolve(REPO, tag).orElseThrow();
        try (InputStream in = store.openBlob(REPO, manifest.layers().get(0).digest())) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        store.close();
        registry.close();
    }
}
