package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** A registry's manifest of more layers than Wharf reads: refused as such, naming repository and reference. */
class RegistryManifestBoundTest {
    private static final String ZIP = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    @Test
    void aManifestOfMoreLayersThanTheBoundIsRefusedNamingTheRepositoryAndTheReference() throws IOException {
        String layer = "{\"mediaType\":\"application/zip\",\"digest\":\"" + ZIP + "\",\"size\":3}";
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":["
                + String.join(",", Collections.nCopies(1001, layer)) + "]}";
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                StubHttpServer.respond(exchange, 200, "application/vnd.oci.image.manifest.v1+json", manifest);
            }
        })) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.resolve("acme/layers", "1.0.0")).isInstanceOf(StorageException.class)
                    .hasMessage("registry " + stub.host() + ", repository acme/layers: the manifest '1.0.0' (http://" + stub.host()
                            + "/v2/acme/layers/manifests/1.0.0) is refused: it lists more than 1000 layers, more than any artifact"
                            + " Wharf reads has (its own have one or two)");
            assertThat(stub.requests()).contains("GET /v2/acme/layers/manifests/1.0.0");
        }
    }
}
