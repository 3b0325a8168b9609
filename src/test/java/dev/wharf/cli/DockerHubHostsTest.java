package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.RegistryFront;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker Hub's names, tested by resolution: the JVM of a real wharf process resolves names from a
 * hosts file in which only {@code registry-1.docker.io} exists (on 127.0.0.1, where a Docker Hub
 * front listens); {@code docker.io} and {@code index.docker.io} do not resolve at all. So a command
 * given either alias succeeds only if it talks to the API host. Docker Hub's real hosts are not
 * reachable here; what this cannot show is their TLS and token service.
 */
class DockerHubHostsTest {
    private static final String REPOSITORY = "myorg/boring-registry";

    @TempDir
    Path dir;

    @Test
    void theAliasesReachTheApiHostAndTheFlatLayoutIsTheDefault() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
             RegistryFront front = RegistryFront.dockerHub(registry.url(), false)) {
            Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 registry-1.docker.io\n");
            Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts);
            int port = Integer.parseInt(front.host().substring(front.host().indexOf(':') + 1));
            String modules = Path.of("examples/modules").toAbsolutePath().toString();

            WharfProcess upload = WharfProcess.start(dir.resolve("upload"), env, List.of("boring-registry", "upload", "module",
                    "--storage-oci-registry", "http://index.docker.io:" + port, "--storage-oci-insecure", "--storage-oci-repository", REPOSITORY, modules));
            assertThat(upload.waitFor(Duration.ofSeconds(60))).as(upload.output()).isZero();
            try (ArtifactStore raw = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
                assertThat(raw.listTags(REPOSITORY)).contains("modules..example..hello..null._example-hello-null-1.0.0");
            }

            int listen = TestPorts.free();
            try (WharfProcess server = WharfProcess.start(dir.resolve("server"), env, List.of("boring-registry", "server",
                    "--listen-address", "127.0.0.1:" + listen, "--listen-telemetry-address", "127.0.0.1:" + TestPorts.free(),
                    "--storage-oci-registry", "http://docker.io:" + port, "--storage-oci-insecure", "--storage-oci-repository", REPOSITORY))) {
                server.awaitHttp(URI.create("http://127.0.0.1:" + listen + "/.well-known/terraform.json"), Duration.ofSeconds(60));
                var http = java.net.http.HttpClient.newHttpClient();
                var versions = http.send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + listen + "/v1/modules/example/hello/null/versions")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(versions.body()).contains("\"1.0.0\"");
                assertThat(server.output()).contains("registry-1.docker.io").contains("layout flat")
                        .contains("the default on Docker Hub");
            }
        }
    }
}
