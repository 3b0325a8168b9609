package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
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
 * What a server's start must not do before its first answer (issue 19, session 10), read from the classes the
 * real process loads (-Xlog:class+load): register the platform MBeans (Jetty's thread pool asked them for one
 * JVM flag), load the JDK's trust store when nothing it serves or calls uses it (the OIDC client was built
 * with no issuer configured), or build the README sanitiser before a page shows a README.
 */
class ServerStartWorkTest {
    private static final String MBEAN_SERVER = "com.sun.jmx.mbeanserver.JmxMBeanServer ";
    private static final String TRUST_STORE = "sun.security.ssl.TrustStoreManager ";
    private static final String HTML_SANITIZER = "org.owasp.html.Sanitizers ";

    @TempDir
    Path dir;

    @Test
    void boringRegistryOnItsEmbeddedStoreAnswersWithoutTheMBeanServerOrTheTrustStore() throws Exception {
        Path classes = dir.resolve("classes.log");
        int port = TestPorts.free();
        int telemetry = TestPorts.free();
        try (WharfProcess server = WharfProcess.start(dir.resolve("work"), Map.of(), classLoading(classes),
                List.of("boring-registry", "server", "--storage-oci-layout-dir", dir.resolve("store").toString(),
                        "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:" + telemetry))) {
            server.awaitReady(URI.create("http://127.0.0.1:" + telemetry + "/health"), Duration.ofMinutes(1));
            HttpResponse<String> versions = get(URI.create("http://127.0.0.1:" + port + "/v1/providers/acme/none/versions"));
            assertThat(versions.statusCode()).as(versions.body()).isEqualTo(404);
            String loaded = Files.readString(classes);
            assertThat(loaded).as("a start loads classes (log written)").contains("dev.wharf.cli.boring.ServerCommand ");
            assertThat(loaded).doesNotContain(MBEAN_SERVER).doesNotContain(TRUST_STORE).doesNotContain(HTML_SANITIZER);
        }
    }

    @Test
    void packageRegistryOnAPlainHttpRegistryAnswersWithoutTheMBeanServer() throws Exception {
        Path classes = dir.resolve("classes.log");
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            try (WharfProcess server = WharfProcess.start(dir.resolve("work"), Map.of(), classLoading(classes),
                    List.of("package-registry", "-feature-oci-indexer", "-oci-registry", "http://" + registry.host(), "-oci-repository",
                            "epr/empty", "-address", "127.0.0.1:" + port, "-require-package-signatures=false", "-log-type", "dev",
                            "-oci-refresh-interval", "0"))) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                HttpResponse<String> search = get(base.resolve("/search"));
                assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
                String loaded = Files.readString(classes);
                assertThat(loaded).as("a start loads classes (log written)").contains("dev.wharf.cli.epr.ServeCommand ");
                assertThat(loaded).doesNotContain(MBEAN_SERVER).doesNotContain(HTML_SANITIZER);
            }
        }
    }

    private static List<String> classLoading(Path log) {
        return List.of("-Xmx256m", "-Xlog:class+load:file=" + log);
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
