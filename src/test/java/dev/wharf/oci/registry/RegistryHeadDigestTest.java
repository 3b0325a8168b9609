package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A registry whose {@code Docker-Content-Digest} on a manifest HEAD names another manifest than the one the tag holds: the
 * header decides nothing. Deleting the tag deletes the manifest the tag's bytes are, never the one the header names.
 */
class RegistryHeadDigestTest {
    private static final String ONE = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
            + "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
            + "\"layers\":[],\"annotations\":{\"version\":\"1.0.0\"}}";
    private static final String TWO = ONE.replace("1.0.0", "2.0.0");

    @Test
    void deletingATagDeletesTheManifestItHoldsWhateverTheHeadDigestSays() throws IOException {
        Digest one = Digest.sha256(ONE.getBytes(StandardCharsets.UTF_8));
        Digest two = Digest.sha256(TWO.getBytes(StandardCharsets.UTF_8));
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else if (path.equals("/v2/lying/app/manifests/1.0.0")) {
                // The tag holds ONE; the header names TWO, version 2.0.0's manifest.
                exchange.getResponseHeaders().set("Docker-Content-Digest", two.toString());
                StubHttpServer.respond(exchange, 200, "application/vnd.oci.image.manifest.v1+json", ONE);
            } else if (method.equals("DELETE")) {
                StubHttpServer.respond(exchange, 202, null, "");
            } else {
                StubHttpServer.respond(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
            }
        })) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThat(store.delete("lying/app", "1.0.0")).isTrue();
            assertThat(stub.requests()).filteredOn(r -> r.startsWith("DELETE"))
                    .containsExactly("DELETE /v2/lying/app/manifests/" + one);
        }
    }
}
