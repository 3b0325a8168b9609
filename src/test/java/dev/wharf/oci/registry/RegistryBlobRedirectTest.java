package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Digest;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.ChunkBytes;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Blob reads follow redirects by hand on their own client too: credentials go along while the
 * registry itself answers, never to the storage host it sends the read to (presigned URLs), a 303
 * is read with GET, and a chain longer than five hops stops with the registry's last answer.
 */
class RegistryBlobRedirectTest {
    private static final String TOKEN = "Bearer static-registry-token";

    private static RegistryArtifactStore store(StubHttpServer registry) {
        return RegistryTestStores.with("http://" + registry.host(), false,
                CredentialSource.fixed(new Credentials.Token("static-registry-token"), "test"), null);
    }


    @Test
    void aChunkedReadKeepsCredentialsAtTheRegistryAcrossItsOwnHopsAndDropsThemForTheStorageHost() throws IOException {
        byte[] content = new byte[1 << 20];
        new Random(5).nextBytes(content);
        Digest digest = Digest.sha256(content);
        List<String> storageSaw = new CopyOnWriteArrayList<>();
        List<String> registrySaw = new CopyOnWriteArrayList<>();
        try (StubHttpServer storage = new StubHttpServer(exchange -> {
            storageSaw.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, content.length);
            exchange.getResponseBody().write(content);
        }); StubHttpServer registry = new StubHttpServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
                return;
            }
            registrySaw.add(path + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            if (path.startsWith("/v2/r/app/blobs/")) {
                exchange.getResponseHeaders().set("Location", "/mirror/" + digest.hex());
                StubHttpServer.respond(exchange, 302, null, "");
            } else {
                exchange.getResponseHeaders().set("Location", "http://" + storage.host() + "/bucket/" + digest.hex() + "?X-Signature=abc");
                StubHttpServer.respond(exchange, 303, null, "");
            }
        })) {
            RegistryArtifactStore store = store(registry);
            try {
                assertThat(ChunkBytes.readAll(store.readBlob("r/app", digest))).isEqualTo(content);
            } finally {
                store.close();
            }
            assertThat(registrySaw).containsExactly("/v2/r/app/blobs/" + digest + " " + TOKEN, "/mirror/" + digest.hex() + " " + TOKEN);
            assertThat(storageSaw).containsExactly("GET null");
        }
    }

    /** distribution on S3 (redirects on, its default) answers HEAD of a blob it has with 307, as it does GET. */
    @Test
    void aBlobWhoseCheckIsARedirectIsPresentAndNotUploadedAgain() throws IOException {
        List<String> registrySaw = new CopyOnWriteArrayList<>();
        try (StubHttpServer registry = new StubHttpServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
                return;
            }
            registrySaw.add(method + " " + path);
            if (method.equals("HEAD") && path.contains("/blobs/")) {
                exchange.getResponseHeaders().set("Location", "https://bucket.invalid/docker/registry/v2/blobs/x?X-Amz-Signature=abc");
                StubHttpServer.respond(exchange, 307, null, "");
            } else if (method.equals("PUT") && path.contains("/manifests/")) {
                byte[] manifest = exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(manifest).toString());
                StubHttpServer.respond(exchange, 201, null, "");
            } else {
                StubHttpServer.respond(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}");
            }
        })) {
            RegistryArtifactStore store = store(registry);
            try {
                store.push("r/app", "v1", dev.wharf.oci.Artifact.single("application/vnd.wharf.test", dev.wharf.oci.Layer.file(
                        "application/octet-stream", "a.txt", dev.wharf.oci.BlobSource.ofBytes(new byte[] {1, 2, 3}))), false);
            } finally {
                store.close();
            }
            assertThat(registrySaw).as("no upload: both blobs were found").noneMatch(r -> r.contains("/blobs/uploads/"))
                    .filteredOn(r -> r.startsWith("HEAD ") && r.contains("/blobs/")).hasSize(2);
            assertThat(registrySaw).contains("PUT /v2/r/app/manifests/v1");
        }
    }

    /** A tag page's Link may name any host: the registry's credentials stay with the registry. */
    @Test
    void aLinkToAnotherHostIsFollowedWithoutTheRegistrysCredentials() throws IOException {
        List<String> otherSaw = new CopyOnWriteArrayList<>();
        List<String> registrySaw = new CopyOnWriteArrayList<>();
        try (StubHttpServer other = new StubHttpServer(exchange -> {
            otherSaw.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            StubHttpServer.respond(exchange, 200, "application/json", "{\"name\":\"r/app\",\"tags\":[\"b\"]}");
        }); StubHttpServer registry = new StubHttpServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
                return;
            }
            registrySaw.add(path + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getResponseHeaders().set("Link", "<http://" + other.host() + "/v2/r/app/tags/list?last=a&n=1>; rel=\"next\"");
            StubHttpServer.respond(exchange, 200, "application/json", "{\"name\":\"r/app\",\"tags\":[\"a\"]}");
        })) {
            RegistryArtifactStore store = store(registry);
            try {
                assertThat(store.listTags("r/app")).containsExactly("a", "b");
            } finally {
                store.close();
            }
            assertThat(registrySaw).containsExactly("/v2/r/app/tags/list " + TOKEN);
            assertThat(otherSaw).containsExactly("/v2/r/app/tags/list null");
        }
    }

    @Test
    void moreThanFiveHopsStopWithTheLastRedirect() throws IOException {
        Digest digest = Digest.sha256(new byte[] {1});
        try (StubHttpServer registry = new StubHttpServer(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
                return;
            }
            exchange.getResponseHeaders().set("Location", "/hop" + exchange.getRequestURI().getPath());
            StubHttpServer.respond(exchange, 307, null, "");
        })) {
            RegistryArtifactStore store = store(registry);
            try {
                assertThatThrownBy(() -> store.readBlob("r/app", digest)).isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.getMessage()).contains("307", "read the blob " + digest));
            } finally {
                store.close();
            }
            assertThat(registry.requests().stream().filter(r -> !r.equals("GET /v2/"))).hasSize(6);
        }
    }
}
