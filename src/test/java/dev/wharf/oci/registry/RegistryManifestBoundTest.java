package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Digest;
import dev.wharf.oci.StorageException;
import dev.wharf.testing.DockerRegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry's manifest of more layers than Wharf reads: docker-registry takes it (its layers all name one blob it
 * holds), and Wharf refuses it as such, naming repository and reference.
 */
class RegistryManifestBoundTest {
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aManifestOfMoreLayersThanTheBoundIsRefusedNamingTheRepositoryAndTheReference(@TempDir Path dir) throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            String config = pushBlob(registry, "acme/layers", "{}");
            String zip = pushBlob(registry, "acme/layers", "zip");
            String layer = "{\"mediaType\":\"application/zip\",\"digest\":\"" + zip + "\",\"size\":3}";
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":2},\"layers\":["
                    + String.join(",", Collections.nCopies(1001, layer)) + "]}";
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/acme/layers/manifests/1.0.0"))
                    .header("Content-Type", MANIFEST_TYPE).PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

            RegistryArtifactStore store = RegistryTestStores.anonymous(registry.url());
            assertThatThrownBy(() -> store.resolve("acme/layers", "1.0.0")).isInstanceOf(StorageException.class)
                    .hasMessage("registry " + registry.host() + ", repository acme/layers: the manifest '1.0.0' (" + registry.url()
                            + "/v2/acme/layers/manifests/1.0.0) is refused: it lists more than 1000 layers, more than any artifact"
                            + " Wharf reads has (its own have one or two)");
        }
    }

    /** Uploads {@code content} as one monolithic blob and returns its digest. */
    private String pushBlob(DockerRegistryServer registry, String repository, String content) throws IOException, InterruptedException {
        String digest = Digest.sha256(content.getBytes(StandardCharsets.UTF_8)).toString();
        HttpResponse<Void> started = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(started.statusCode()).isEqualTo(202);
        URI location = URI.create(registry.url()).resolve(started.headers().firstValue("Location").orElseThrow());
        String separator = location.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofString(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return digest;
    }
}
