package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.RegistryStores;
import dev.wharf.epr.upstream.SignedUpstream;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code package-registry -feature-oci-indexer -feature-proxy-mode -oci-pull-through
 * -verification-key …} as a user runs it, in its own JVM, on an empty docker-registry repository in
 * front of a signed upstream: a package asked for is copied in and then served with the upstream gone.
 */
class PullThroughProcessTest {
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void copiesOnFirstRequestAndServesFromTheRegistryOnceTheUpstreamIsGone() throws Exception {
        PgpKeys key = PgpKeys.generate("Upstream <upstream@example.test>");
        Path keyFile = dir.resolve("upstream.asc");
        Files.writeString(keyFile, key.armoredPublicKey());
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            SignedUpstream upstream = SignedUpstream.start(dir, key, List.of("gallery/2.0.0"));
            byte[] zip = Files.readAllBytes(upstream.zip("gallery-2.0.0"));
            byte[] info = upstream.get("/package/gallery/2.0.0/").body();
            int port = TestPorts.free();
            try (WharfProcess serve = WharfProcess.start(dir.resolve("serve"), Map.of("EPR_PROXY_TO", upstream.url().toString()),
                    List.of("package-registry", "-address", "127.0.0.1:" + port, "-feature-oci-indexer", "-oci-registry", registry.host(),
                            "-oci-insecure", "-oci-repository", "epr/pulled", "-oci-cache-dir", dir.resolve("cache").toString(),
                            "-feature-proxy-mode", "-proxy-allow-insecure", "-oci-pull-through", "-verification-key", keyFile.toString()))) {
                serve.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
                HttpResponse<byte[]> first = get(port, "/epr/gallery/gallery-2.0.0.zip");
                assertThat(first.statusCode()).as(serve.output()).isEqualTo(200);
                assertThat(first.body()).isEqualTo(zip);
                assertThat(serve.output()).contains("pull-through: copied gallery-2.0.0", "verified, key ");
                upstream.close();
                HttpResponse<byte[]> again = get(port, "/package/gallery/2.0.0/");
                assertThat(again.statusCode()).as(serve.output()).isEqualTo(200);
                assertThat(again.body()).isEqualTo(info);
                assertThat(get(port, "/epr/gallery/gallery-2.0.0.zip").body()).isEqualTo(zip);
            }
        }
    }

    /**
     * Without -verification-key, a package the upstream has no .sig for had been copied into the
     * repository although the server serves only signed packages (-require-package-signatures, the
     * default): the index left it out, so it was answered 404, and every request downloaded it again.
     * Now it is refused before it is stored, with one message, and the repository stays empty.
     */
    @Test
    void anUnsignedUpstreamPackageIsNotCopiedWhenTheServerRequiresSignatures() throws Exception {
        PgpKeys key = PgpKeys.generate("Upstream <upstream@example.test>");
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                SignedUpstream upstream = SignedUpstream.startUnsigned(dir, key, List.of("gallery/2.0.0"));
                RegistryArtifactStore store = RegistryStores.anonymous(registry)) {
            int port = TestPorts.free();
            try (WharfProcess serve = WharfProcess.start(dir.resolve("serve"), Map.of("EPR_PROXY_TO", upstream.url().toString()),
                    List.of("package-registry", "-address", "127.0.0.1:" + port, "-feature-oci-indexer", "-oci-registry", registry.host(),
                            "-oci-insecure", "-oci-repository", "epr/pulled", "-oci-cache-dir", dir.resolve("cache").toString(),
                            "-feature-proxy-mode", "-proxy-allow-insecure", "-oci-pull-through"))) {
                serve.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
                for (String path : List.of("/epr/gallery/gallery-2.0.0.zip", "/package/gallery/2.0.0/")) {
                    HttpResponse<byte[]> answer = get(port, path);
                    assertThat(answer.statusCode()).as(serve.output()).isEqualTo(502);
                    assertThat(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("package refused: gallery-2.0.0"
                            + " has no signature upstream, and this server serves only signed packages (-require-package-signatures), so it"
                            + " was not copied\n");
                }
                assertThat(store.exists("epr/pulled", "gallery-2.0.0")).isFalse();
            }
        }
    }
}
