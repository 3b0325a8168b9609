package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactConfig;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.RegistryFront;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that takes only the media types on its own list in a manifest's {@code artifactType} and
 * config (GitLab's, emulated by a front before a real docker-registry): the typed manifest it refuses is
 * stored in the portable form, and the store starts with that form from then on.
 */
class PortableManifestsTest {
    private static final String LAYER_TYPE = "application/vnd.wharf.test.layer.v1";
    private static final ArtifactConfig OWN_CONFIG = new ArtifactConfig("application/vnd.wharf.test.config.v1+json",
            "{\"kind\":\"test\"}".getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path dir;
    private static DockerRegistryServer registry;

    @BeforeAll
    static void start() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static Artifact artifact(String content) {
        return new Artifact("application/vnd.wharf.test.v1", OWN_CONFIG,
                List.of(Layer.file(LAYER_TYPE, "file.txt", BlobSource.ofBytes(content.getBytes(StandardCharsets.UTF_8)))), Map.of("a", "b"));
    }

    @Test
    void aManifestRefusedForItsMediaTypesIsStoredPortableAndLaterPushesStartPortable() throws Exception {
        try (RegistryFront front = RegistryFront.gitLabMediaTypes(registry.url(), false);
             LogCapture log = LogCapture.of(PortableManifests.class.getName())) {
            RegistryArtifactStore store = RegistryTestStores.anonymous(front.url());
            Manifest first = store.push("gl/app", "1.0.0", artifact("one"), false);

            assertThat(front.manifestsRefused()).as("the typed form, refused once").isEqualTo(1);
            assertThat(first.artifactType()).isNull();
            assertThat(first.config().mediaType()).isEqualTo(Manifest.OCI_EMPTY);
            Manifest stored = RegistryTestStores.anonymous(registry.url()).resolve("gl/app", "1.0.0").orElseThrow();
            assertThat(stored.digest()).isEqualTo(first.digest());
            assertThat(stored.artifactType()).isNull();
            assertThat(stored.layers()).singleElement().satisfies(l -> assertThat(l.mediaType()).isEqualTo(LAYER_TYPE));
            assertThat(stored.annotations()).containsEntry("a", "b");
            try (InputStream in = store.openBlob("gl/app", stored.layers().get(0).digest())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one");
            }
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .contains("took the portable form").contains("unknown media type: application/vnd.wharf.test.v1");

            store.push("gl/app", "1.0.1", artifact("two"), false);
            assertThat(front.manifestsRefused()).as("the second push starts portable").isEqualTo(1);
            assertThat(log.lines(Level.WARN)).hasSize(1);
        }
    }

    @Test
    void aRegistryThatTakesTheTypedFormKeepsIt() {
        Manifest pushed = RegistryTestStores.anonymous(registry.url()).push("plain/app", "1.0.0", artifact("one"), false);
        assertThat(pushed.artifactType()).isEqualTo("application/vnd.wharf.test.v1");
        assertThat(pushed.config().mediaType()).isEqualTo(OWN_CONFIG.mediaType());
    }

    @Test
    void aRegistryThatRefusesTheLayersTooGetsOneErrorAndNoTag() {
        try (RegistryFront front = RegistryFront.gitLabMediaTypes(registry.url(), true)) {
            RegistryArtifactStore store = RegistryTestStores.anonymous(front.url());
            assertThatThrownBy(() -> store.push("strict/app", "1.0.0", artifact("one"), false))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("unknown media type: " + LAYER_TYPE)
                    .hasMessageContaining("refused in the portable form too")
                    .hasMessageContaining("REGISTRY_FF_DYNAMIC_MEDIA_TYPES");
            assertThat(front.manifestsRefused()).isEqualTo(2);
            assertThat(RegistryTestStores.anonymous(registry.url()).resolve("strict/app", "1.0.0")).isEmpty();
        }
    }
}
