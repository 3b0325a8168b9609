package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.epr.TestPackages;
import dev.wharf.http.access.NewToken;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.Publishing;
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
import picocli.CommandLine;

/**
 * Both launchers answer the request line's method whatever X-HTTP-Method-Override says, as the Go
 * servers do: a GET naming PUT must not publish past a proxy that lets only GET through.
 */
class MethodOverrideIgnoredTest {
    private static final String OVERRIDE = "X-HTTP-Method-Override";

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void boringRegistryAnswersAGetNamingPutOrDeleteAsTheGetItIsOnEveryListener() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme/*");
        NewToken reader = Publishing.token("reader", "read");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme, reader);
        Path archive = Publishing.moduleArchive(Path.of("examples/modules/hello").toAbsolutePath(), dir.resolve("hello.tar.gz"));
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs("--listen-address", "127.0.0.1:0",
                "--listen-telemetry-address", "127.0.0.1:0", "--storage-oci-layout-dir", dir.resolve("data").toString(),
                "--auth-tokens-file", tokens.toString());
        try (ServerCommand.Running server = command.start()) {
            URI base = URI.create("http://127.0.0.1:" + server.registry().port());
            URI module = base.resolve("/api/v1/modules/acme/x/aws/1.0.0");
            HttpResponse<String> smuggled = send(HttpRequest.newBuilder(module).header(OVERRIDE, "PUT")
                    .header("Authorization", "Bearer " + acme.token()).header("Content-Type", "application/gzip")
                    .method("GET", HttpRequest.BodyPublishers.ofFile(archive)));
            assertThat(smuggled.statusCode()).as(smuggled.body()).isEqualTo(405);
            assertThat(smuggled.body()).contains("GET is not allowed on /api/v1/modules/acme/x/aws/1.0.0");
            assertThat(server.store().listTags(TerraformLayout.under("boring-registry").moduleRepository("acme", "x", "aws"))).isEmpty();
            // Nothing was published by it: the real PUT is the first.
            assertThat(Publishing.put(http, module, acme.token(), "application/gzip", HttpRequest.BodyPublishers.ofFile(archive))
                    .statusCode()).isEqualTo(201);

            HttpResponse<String> versions = send(HttpRequest.newBuilder(base.resolve("/v1/modules/acme/x/aws/versions"))
                    .header(OVERRIDE, "DELETE").header("Authorization", "Bearer " + reader.token()));
            assertThat(versions.statusCode()).as(versions.body()).isEqualTo(200);
            assertThat(versions.body()).contains("1.0.0");

            HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.telemetry().port() + "/metrics"))
                    .header(OVERRIDE, "POST"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            // Counted as what they were: the one publish a PUT, no GET answered as one.
            assertThat(metrics.body()).contains("http_request_total{code=\"201\",method=\"PUT\"} 1.0")
                    .doesNotContain("code=\"201\",method=\"GET\"").doesNotContain("method=\"DELETE\"");
        }
    }

    @Test
    void packageRegistryAnswersAGetNamingPutOrDeleteAsTheGetItIs() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme);
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        Path zip = dir.resolve("acme_logs.zip");
        TestPackages.zipFolder(version, "acme_logs-" + version.getFileName(), zip);
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            int metricsPort = TestPorts.free();
            try (WharfProcess server = WharfProcess.start(dir.resolve("work"), Map.of(), List.of("package-registry",
                    "-feature-oci-indexer", "-oci-registry", registry.host(), "-oci-repository", "epr/published", "-oci-insecure",
                    "-address", "127.0.0.1:" + port, "-metrics-address", "127.0.0.1:" + metricsPort, "-require-package-signatures=false",
                    "-log-type", "dev", "-oci-refresh-interval", "0", "-auth-tokens-file", tokens.toString()))) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                URI publish = base.resolve("/api/v1/packages?refresh=true");
                URI search = base.resolve("/search?package=acme_logs&all=true");
                HttpResponse<String> smuggled = send(HttpRequest.newBuilder(publish).header(OVERRIDE, "PUT")
                        .header("Authorization", "Bearer " + acme.token()).header("Content-Type", "application/zip")
                        .method("GET", HttpRequest.BodyPublishers.ofFile(zip)));
                assertThat(smuggled.statusCode()).as(smuggled.body()).isEqualTo(404);
                HttpResponse<String> nothing = send(HttpRequest.newBuilder(search).header(OVERRIDE, "DELETE"));
                assertThat(nothing.statusCode()).as(nothing.body()).isEqualTo(200);
                assertThat(nothing.body()).doesNotContain("acme_logs");

                HttpResponse<String> created = Publishing.put(http, publish, acme.token(), "application/zip",
                        HttpRequest.BodyPublishers.ofFile(zip));
                assertThat(created.statusCode()).as(created.body() + server.output()).isEqualTo(201);
                HttpResponse<String> found = send(HttpRequest.newBuilder(search).header(OVERRIDE, "PUT"));
                assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
                assertThat(found.body()).contains("\"name\": \"acme_logs\"");

                HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                        .header(OVERRIDE, "DELETE"));
                assertThat(metrics.statusCode()).isEqualTo(200);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
