package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.ForwardProxy;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose only way out is an HTTP proxy: the upload command and the server reach the
 * registry through it, every request, blob reads included, and a module is uploaded and its archive
 * served. The proxy is named as Java names one ({@code -Dhttp.proxyHost}), or as boring-registry (a Go
 * program) is told of one: {@code HTTP_PROXY}.
 */
class BoringRegistryBehindHttpProxyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String DOWNLOAD = "/v1/modules/example/hello/null/1.0.0/download";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).proxy(HttpClient.Builder.NO_PROXY).build();

    @Test
    void javaProxyPropertiesCarryEveryRegistryRequest() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
             ForwardProxy proxy = new ForwardProxy(Map.of("registry.invalid", "127.0.0.1"))) {
            // A name only the proxy can resolve, as below: a request that went around the proxy would find no registry.
            List<String> jvm = List.of("-Xmx256m", "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + proxy.port());
            uploadAndServe(jvm, Map.of(), "http://registry.invalid:" + registry.port(), proxy);
        }
    }

    @Test
    void theHttpProxyVariableCarriesEveryRegistryRequest() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
             ForwardProxy proxy = new ForwardProxy(Map.of("registry.invalid", "127.0.0.1"))) {
            // A name only the proxy can resolve: reaching the registry at all proves the requests went through it
            // (loopback addresses, as in Go, are never proxied).
            uploadAndServe(List.of("-Xmx256m"), Map.of("HTTP_PROXY", "127.0.0.1:" + proxy.port(), "NO_PROXY", "example.com"),
                    "http://registry.invalid:" + registry.port(), proxy);
        }
    }

    private void uploadAndServe(List<String> jvm, Map<String, String> env, String base, ForwardProxy proxy) throws Exception {
        // Plain HTTP to a name that is not this machine's needs the insecure flag (the test's registry has no TLS).
        List<String> storage = List.of("--storage-oci-registry", base, "--storage-oci-repository", "behind-proxy", "--storage-oci-insecure");
        try (WharfProcess upload = WharfProcess.start(dir.resolve("upload"), env, jvm, concat(List.of("boring-registry",
                "upload", "module", Path.of("examples/modules").toAbsolutePath().toString()), storage))) {
            assertThat(upload.waitFor(DEADLINE)).as(upload.output()).isZero();
        }
        assertThat(proxy.requests()).as("the upload's pushes").anyMatch(r -> r.startsWith("PUT " + base + "/v2/behind-proxy/"));

        int port = TestPorts.free();
        try (WharfProcess server = WharfProcess.start(dir.resolve("server"), env, jvm, concat(List.of("boring-registry",
                "server", "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:" + TestPorts.free()),
                storage))) {
            server.awaitHttp(URI.create("http://127.0.0.1:" + port + "/.well-known/terraform.json"), DEADLINE);
            HttpResponse<byte[]> download = get(URI.create("http://127.0.0.1:" + port + DOWNLOAD));
            assertThat(download.statusCode()).as(new String(download.body()) + server.output()).isEqualTo(204);
            URI file = URI.create("http://127.0.0.1:" + port).resolve(download.headers().firstValue("X-Terraform-Get").orElseThrow());
            HttpResponse<byte[]> archive = get(file);
            assertThat(archive.statusCode()).isEqualTo(200);
            assertThat(archive.body()).startsWith(0x1f, 0x8b);
        }
        assertThat(proxy.requests()).as("the server's reads")
                .anyMatch(r -> r.startsWith("GET " + base + "/v2/behind-proxy/") && r.contains("/tags/list"))
                .anyMatch(r -> r.startsWith("GET " + base + "/v2/behind-proxy/modules/example/hello/null/manifests/"))
                .anyMatch(r -> r.startsWith("GET " + base + "/v2/behind-proxy/modules/example/hello/null/blobs/sha256:"));
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
