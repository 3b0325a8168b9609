package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.TokenServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host the registry sends a request to (a blob read's redirect, an upload's Location) that answers
 * 401 with a challenge of its own is not followed: it gets no credentials, its realm is never asked
 * for a token, and later token requests still go to the registry's own token server.
 */
class RegistryForeignChallengeTest {
    private static final String USER = "bob";
    private static final String PASSWORD = "bobs-password";

    @TempDir
    Path tmp;

    /** A host that records what it was sent and asks for credentials at its own realm. */
    private static StubHttpServer foreignHost(List<String> saw) throws IOException {
        return new StubHttpServer(exchange -> {
            saw.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            if (exchange.getRequestURI().getPath().equals("/token")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{\"token\":\"foreign-token\"}");
                return;
            }
            String self = "127.0.0.1:" + exchange.getLocalAddress().getPort();
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + self + "/token\",service=\"elsewhere\"");
            StubHttpServer.respond(exchange, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"x\"}]}");
        });
    }

    /**
     * A registry that challenges for tokens of {@code tokens} and, once a request carries one, sends blob reads
     * and uploads to {@code foreign}.
     */
    private static StubHttpServer registry(TokenServer tokens, StubHttpServer foreign) throws IOException {
        String challenge = "Bearer realm=\"" + tokens.realm() + "\",service=\"" + tokens.service() + "\"";
        return new StubHttpServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
                StubHttpServer.respond(exchange, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"x\"}]}");
            } else if (exchange.getRequestMethod().equals("HEAD")) {
                StubHttpServer.respond(exchange, 404, null, "");
            } else if (path.endsWith("/blobs/uploads/")) {
                exchange.getResponseHeaders().set("Location", "http://" + foreign.host() + "/upload/1");
                StubHttpServer.respond(exchange, 202, null, "");
            } else {
                redirect(exchange, "http://" + foreign.host() + "/bucket" + path);
            }
        });
    }

    private static void redirect(HttpExchange exchange, String to) throws IOException {
        exchange.getResponseHeaders().set("Location", to);
        StubHttpServer.respond(exchange, 307, null, "");
    }

    /** The registry, the foreign host, what the foreign host saw and the registry's token server, for one test. */
    private record Hosts(StubHttpServer registry, StubHttpServer foreign, List<String> foreignSaw, TokenServer tokens) {
    }

    private interface Scenario {
        void run(Hosts hosts, RegistryArtifactStore store) throws IOException;
    }

    private void withHosts(Scenario scenario) throws IOException {
        List<String> foreignSaw = new CopyOnWriteArrayList<>();
        try (TokenServer tokens = new TokenServer(tmp).user(USER, PASSWORD);
             StubHttpServer foreign = foreignHost(foreignSaw);
             StubHttpServer registry = registry(tokens, foreign)) {
            RegistryArtifactStore store = RegistryTestStores.with("http://" + registry.host(), false,
                    CredentialSource.fixed(new Credentials.Basic(USER, PASSWORD), "test flags"), null);
            try {
                scenario.run(new Hosts(registry, foreign, foreignSaw, tokens), store);
            } finally {
                store.close();
            }
        }
    }

    @Test
    void aRedirectTargetsChallengeIsAFailureNamingItAndNeverGetsTheCredentials() throws IOException {
        Digest digest = Digest.sha256(new byte[] {1, 2, 3});
        withHosts((hosts, store) -> {
            assertThatThrownBy(() -> store.readBlob("r/app", digest)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(StorageException.Kind.REGISTRY_ERROR);
                assertThat(e.getMessage()).contains("http://" + hosts.foreign().host() + "/bucket/v2/r/app/blobs/" + digest,
                        "asked for credentials (HTTP 401)", "only to http://" + hosts.registry().host());
            });
            // The challenge was not adopted: the next repository's token still comes from the registry's token server.
            assertThatThrownBy(() -> store.readBlob("r/other", digest)).isInstanceOf(StorageException.class);
            assertThat(hosts.foreignSaw()).as("what the redirect target was sent").containsExactly(
                    "GET /bucket/v2/r/app/blobs/" + digest + " null", "GET /bucket/v2/r/other/blobs/" + digest + " null");
            assertThat(hosts.tokens().requests()).extracting(TokenServer.TokenRequest::scopes)
                    .containsExactly(List.of("repository:r/app:pull"), List.of("repository:r/other:pull"));
        });
    }

    @Test
    void anUploadLocationsChallengeIsAFailureNamingItAndNeverGetsTheCredentials() throws IOException {
        withHosts((hosts, store) -> {
            assertThatThrownBy(() -> store.push("r/app", "v1", Artifact.single("application/vnd.wharf.test",
                    Layer.file("application/octet-stream", "a.txt", BlobSource.ofBytes(new byte[] {1, 2, 3}))), false))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage())
                            .contains("http://" + hosts.foreign().host() + "/upload/1", "asked for credentials (HTTP 401)"));
            assertThat(hosts.foreignSaw()).isNotEmpty().allSatisfy(request -> assertThat(request).endsWith(" null").doesNotContain("/token"));
            assertThat(hosts.tokens().requests()).isNotEmpty().allSatisfy(request -> assertThat(request.granted()).isTrue());
        });
    }
}
