package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.RegistryFront;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages pushed to a registry that refuses Wharf's own {@code artifactType} and config media type
 * (GitLab's list, emulated by a front before a real docker-registry): they are stored in the portable
 * form, without the package config, and package-registry serves them from their zips with the very
 * documents it serves for the same packages pushed with their configs.
 */
class PackagesOnARegistryWithAMediaTypeListTest {
    @TempDir
    Path dir;

    @Test
    void thePortableFormServesTheSamePackages() throws Exception {
        ImageLayoutStore typed = new ImageLayoutStore(dir.resolve("typed"));
        TestPackages.publishAll(typed, dir.resolve("typed-work"));
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
             RegistryFront front = RegistryFront.gitLabMediaTypes(registry.url(), false);
             RegistryArtifactStore throughFront = anonymous(front.url());
             RegistryArtifactStore direct = RegistryStores.anonymous(registry)) {
            TestPackages.publishAll(throughFront, dir.resolve("portable-work"));
            assertThat(front.manifestsRefused()).as("the first push, in the typed form").isEqualTo(1);
            Manifest gallery = direct.resolve(TestPackages.REPOSITORY, "gallery-2.0.0").orElseThrow();
            assertThat(gallery.artifactType()).isNull();
            assertThat(gallery.config().mediaType()).isEqualTo(Manifest.OCI_EMPTY);

            assertThat(served(direct, "portable-cache")).isEqualTo(served(typed, "typed-cache")).isNotEmpty();
        }
    }

    private static RegistryArtifactStore anonymous(String url) {
        return new RegistryArtifactStore(new RegistrySettings(url, false, Optional.empty()), CredentialSource.fixed(new Credentials.Anonymous(), "test"),
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(200)), null);
    }

    /** Each listed package's document, as JSON, by its key. */
    private Map<String, String> served(ArtifactStore store, String cache) throws Exception {
        Map<String, String> documents = new LinkedHashMap<>();
        try (OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve(cache))
                .withMaxPackageBytes(64L << 20))) {
            indexer.start();
            PersistedFirstIndex.await(indexer);
            for (IndexedPackage p : indexer.packages()) {
                documents.put(p.key(), Json.mapper().writeValueAsString(p.document()));
            }
        }
        return documents;
    }
}
