package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Digest;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A registry that sends Wharf somewhere it cannot go: a blob read redirected, or a tag list's next page linked, to a URL
 * that is not http or https (ftp://…) or not a URL at all. Each is one failure naming the registry, not an internal error.
 */
class RegistryRedirectTargetTest {
    private static final Digest BLOB = Digest.sha256("blob".getBytes(StandardCharsets.UTF_8));

    /** A registry whose blob reads are redirected to {@code location} and whose tag list links to {@code link}. */
    private static StubHttpServer registry(String location, String link) throws IOException {
        return new StubHttpServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else if (path.endsWith("/tags/list")) {
                exchange.getResponseHeaders().set("Link", link);
                StubHttpServer.respond(exchange, 200, "application/json", "{\"name\":\"away/app\",\"tags\":[\"1\"]}");
            } else {
                exchange.getResponseHeaders().set("Location", location);
                StubHttpServer.respond(exchange, 307, null, "");
            }
        });
    }

    @Test
    void aBlobRedirectedToAnotherSchemeIsOneFailureNamingTheRegistry() throws IOException {
        try (StubHttpServer stub = registry("ftp://127.0.0.1/bucket/blob", "")) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.openBlob("away/app", BLOB)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                assertThat(e.getMessage()).contains(stub.host(), "away/app", "a redirect (HTTP 307) to something that is not an http or"
                        + " https URL");
            });
        }
    }

    @Test
    void aBlobRedirectedToSomethingThatIsNotAUrlIsOneFailureNamingTheRegistry() throws IOException {
        try (StubHttpServer stub = registry("http://bad host/blob", "")) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.openBlob("away/app", BLOB)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                assertThat(e.getMessage()).contains(stub.host(), "not an http or https URL");
            });
        }
    }

    @Test
    void aTagPageLinkingToAnotherSchemeIsOneFailureNamingTheRegistry() throws IOException {
        try (StubHttpServer stub = registry("", "<ftp://127.0.0.1/v2/away/app/tags/list?last=1>; rel=\"next\"")) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.listTags("away/app")).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                assertThat(e.getMessage()).contains(stub.host(), "away/app", "a Link header whose next page is not an http or https URL");
            });
            assertThat(stub.requests()).containsExactly("GET /v2/", "GET /v2/away/app/tags/list");
        }
    }
}
