package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.RegistryStores;
import dev.wharf.epr.TestPackages;
import dev.wharf.http.access.NewToken;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.Publishing;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code package-registry} as shipped, with {@code -auth-tokens-file} on docker-registry: {@code /ui/}
 * is on its address, wants a token of that file first, then lists the packages the OCI indexer serves.
 */
class PackageUiProcessTest {
    @TempDir
    Path dir;

    @Test
    void theUiIsOnTheAddressAndATokenOfTheTokensFileSignsIn() throws Exception {
        NewToken reader = Publishing.token("reader", "read");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), reader);
        HttpClient http = HttpClient.newHttpClient();
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                RegistryArtifactStore store = RegistryStores.anonymous(registry)) {
            TestPackages.publishAll(store, dir);
            int port = TestPorts.free();
            try (WharfProcess server = WharfProcess.start(dir.resolve("work"), Map.of(), List.of("package-registry", "-feature-oci-indexer",
                    "-oci-registry", registry.host(), "-oci-repository", TestPackages.REPOSITORY, "-oci-insecure",
                    "-address", "127.0.0.1:" + port, "-require-package-signatures=false", "-log-type", "dev",
                    "-oci-refresh-interval", "0", "-auth-tokens-file", tokens.toString()))) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(base.resolve("/ui/")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(303);
                assertThat(refused.headers().firstValue("Location")).hasValue("/ui/sign-in?next=%2Fui%2F");

                HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(base.resolve("/ui/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + reader.token() + "&next=/ui/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
                String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
                cookie = cookie.substring(0, cookie.indexOf(';'));

                String home = http.send(HttpRequest.newBuilder(base.resolve("/ui/")).header("Cookie", cookie).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(home).contains("acme_logs", "gallery", "sensor_input", "Sign out");
                String health = http.send(HttpRequest.newBuilder(base.resolve("/ui/health")).header("Cookie", cookie).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(health).contains("<dt>Source</dt><dd>oci</dd>", "<td>broken_pkg-1.0.0</td>").doesNotContain(registry.host());
                assertThat(server.output()).doesNotContain(reader.token());
            }
        }
    }
}
