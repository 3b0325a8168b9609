package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.TokenServer;
import dev.wharf.testing.WharfProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code wharf package-registry} as a user runs it, in a JVM of its own, against Debian's
 * docker-registry with htpasswd and with token auth: packages pushed through the CLI are listed by
 * {@code /search} and downloaded byte for byte; a wrong password is one clear error without the
 * secret; {@code -oci-refresh-interval} picks up a version pushed after start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageRegistryProcessTest {
    private static final String USER = "ci-publisher";
    private static final String PASSWORD = "htpasswd-S3cret-7a1";
    private static final Duration START = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newHttpClient();
    private Path dir;
    private Path packages;
    private DockerRegistryServer registry;

    @BeforeAll
    void startRegistry() throws Exception {
        dir = Files.createTempDirectory("epr-process-");
        packages = dir.resolve("src");
        TestPackages.copyTree(TestPackages.source(), packages);
        registry = DockerRegistryServer.builder(dir.resolve("registry")).basicAuth(USER, PASSWORD).start();
    }

    @AfterAll
    void stopRegistry() throws Exception {
        if (registry != null) {
            registry.stop();
        }
        TestPackages.deleteTree(dir);
    }

    @Test
    void pushesThroughTheCliAndServesFromAnHtpasswdRegistry() throws Exception {
        Map<String, String> env = Map.of("EPR_OCI_USERNAME", USER, "EPR_OCI_PASSWORD", PASSWORD);
        WharfProcess push = WharfProcess.start(dir.resolve("push"), env, List.of("package-registry", "push",
                "-oci-registry", registry.host(), "-oci-repository", "packages", "-oci-insecure",
                packages.resolve("acme_logs/1.0.0").toString(), packages.resolve("acme_logs/1.1.0").toString(),
                packages.resolve("gallery/2.0.0").toString()));
        assertThat(push.waitFor(START)).as(push.output()).isZero();
        assertThat(push.output()).contains("pushed acme_logs-1.0.0 to", "pushed acme_logs-1.1.0 (signed) to",
                "pushed gallery-2.0.0 to").doesNotContain(PASSWORD);
        // Logging is set up for the command too: logback's default would print every library's debug lines.
        assertThat(push.output()).doesNotContain("DEBUG");

        int port = TestPorts.free();
        int metricsPort = TestPorts.free();
        List<String> args = new java.util.ArrayList<>(serveArgs(registry, "packages", port));
        args.addAll(List.of("-metrics-address", "127.0.0.1:" + metricsPort));
        try (WharfProcess serve = WharfProcess.start(dir.resolve("serve-basic"), env, args)) {
            serve.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
            JsonNode health = json(port, "/health", 200);
            assertThat(health.get("status").asText()).as(serve.output()).isEqualTo("healthy");
            assertThat(health.get("packages").asInt()).isEqualTo(3);
            assertThat(listed(port, "/search?all=true")).containsExactly("acme_logs-1.0.0", "acme_logs-1.1.0", "gallery-2.0.0");
            try (ArtifactStore store = store(registry, new Credentials.Basic(USER, PASSWORD))) {
                assertThat(bytes(port, "/epr/gallery/gallery-2.0.0.zip")).isEqualTo(zipBlob(store, "packages", "gallery-2.0.0"));
                assertThat(bytes(port, "/epr/acme_logs/acme_logs-1.1.0.zip")).isEqualTo(zipBlob(store, "packages", "acme_logs-1.1.0"));
            }
            assertThat(bytes(port, "/epr/acme_logs/acme_logs-1.1.0.zip.sig"))
                    .isEqualTo(Files.readAllBytes(packages.resolve("acme_logs/1.1.0.sig")));
            assertThat(serve.output()).doesNotContain(PASSWORD);

            // The first is routed, the repeats answered ready: each counted once all the same.
            awaitQuiet(metricsPort, 200);
            double before = counted(metricsPort, 200);
            for (int i = 0; i < 3; i++) {
                json(port, "/categories", 200);
            }
            // Counted once each answer is complete, so the scrape may be a moment behind the client.
            awaitCount(metricsPort, 200, before + 3.0);
            assertThat(counted(metricsPort, 200) - before).isEqualTo(3.0);

            // Unknown paths: EPR's 404, counted like any answer, never logged, the path in no metric.
            double missesBefore = counted(metricsPort, 404);
            for (String unknown : List.of("/no-such-route", "/v2/_catalog", "/package/", "/index.json/x")) {
                HttpResponse<byte[]> r = get(port, unknown);
                assertThat(r.statusCode()).as(unknown).isEqualTo(404);
                assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("404 page not found\n");
            }
            awaitCount(metricsPort, 404, missesBefore + 4.0);
            assertThat(counted(metricsPort, 404) - missesBefore).isEqualTo(4.0);
            assertThat(scrape(metricsPort)).doesNotContain("no-such-route").doesNotContain("_catalog");
            assertThat(serve.output()).doesNotContain("no-such-route").doesNotContain("_catalog");
            // The start line names the sockets as bound.
            assertThat(serve.output()).contains("Package registry started on 127.0.0.1:" + port + " (plain HTTP)")
                    .contains("Metrics and detailed health on 127.0.0.1:" + metricsPort);
        }
    }

    private String scrape(int metricsPort) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Until the count of earlier answers stops moving (they are counted once complete). */
    private void awaitQuiet(int metricsPort, int status) throws Exception {
        double last = -1;
        double now = counted(metricsPort, status);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(5);
        while (now != last && java.time.Instant.now().isBefore(deadline)) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
            last = now;
            now = counted(metricsPort, status);
        }
    }

    private void awaitCount(int metricsPort, int status, double expected) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        while (counted(metricsPort, status) < expected && java.time.Instant.now().isBefore(deadline)) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
    }

    /** GET requests answered with {@code status}, summed over every route. */
    private double counted(int metricsPort, int status) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^epr_http_requests_total\\{code=\"" + status
                + "\",method=\"GET\",path=\"[^\"]*\"} (\\S+)$").matcher(scrape(metricsPort));
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    @Test
    void wrongPasswordIsOneClearErrorWithoutTheSecret() throws Exception {
        String wrong = "not-the-Passw0rd-3f9";
        Map<String, String> env = Map.of("EPR_OCI_USERNAME", USER, "EPR_OCI_PASSWORD", wrong);
        Path work = dir.resolve("serve-wrong");
        WharfProcess refused = WharfProcess.start(work, env, serveArgs(registry, "wrong-password", TestPorts.free()));
        assertThat(refused.waitFor(START)).as(refused.output()).isEqualTo(1);
        String out = refused.output();
        List<String> errors = out.lines().filter(l -> l.startsWith("package-registry: ")).toList();
        assertThat(errors).as(out).hasSize(1);
        assertThat(errors.get(0)).contains("cannot index", registry.host(), "no index is persisted", "refused", USER,
                "check the username and password");
        assertThat(out).doesNotContain(wrong).doesNotContain(PASSWORD).doesNotContain("\tat ");
        assertThat(out.split("the registry refused", -1)).as("the refusal is told once:\n" + out).hasSize(2);

        // With an index persisted by an earlier run, the same mistake is served through and /health says why.
        publish(registry, "wrong-password", "legacy_stack/1.0.0");
        WharfProcess earlier = WharfProcess.start(work, Map.of("EPR_OCI_USERNAME", USER, "EPR_OCI_PASSWORD", PASSWORD),
                List.of("package-registry", "-dry-run", "-feature-oci-indexer", "-oci-registry", registry.host(),
                        "-oci-repository", "wrong-password", "-oci-insecure", "-require-package-signatures=false"));
        assertThat(earlier.waitFor(START)).as(earlier.output()).isZero();
        int port = TestPorts.free();
        int metricsPort = TestPorts.free();
        List<String> args = new ArrayList<>(serveArgs(registry, "wrong-password", port));
        args.addAll(List.of("-metrics-address", "127.0.0.1:" + metricsPort));
        try (WharfProcess degraded = WharfProcess.start(work, env, args)) {
            degraded.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
            // Anyone may ask /health on the API address: told that the source failed, and an id.
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(200);
            JsonNode health = Json.mapper().readTree(anonymous.body());
            assertThat(health.get("status").asText()).isEqualTo("degraded");
            assertThat(health.get("source").asText()).isEqualTo("oci");
            String id = anonymous.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(health.get("error").asText()).contains("request id " + id);
            assertThat(anonymous.body()).doesNotContain(USER).doesNotContain(registry.host()).doesNotContain("wrong-password");
            // The detail is in the log under that id, and on the metrics address.
            assertThat(degraded.output().lines().filter(l -> l.contains(id)).toList()).singleElement().asString()
                    .contains("refused", USER, registry.host());
            JsonNode detailed = json(metricsPort, "/health", 200);
            assertThat(detailed.get("error").asText()).contains("refused", USER).doesNotContain(wrong).doesNotContain(PASSWORD);
            assertThat(detailed.get("source").asText()).contains(registry.host());
            // Both processes' logs with the answer: it failed once in CI (an empty list) and not in six runs by hand.
            assertThat(listed(port, "/search?all=true")).as("the run before:\n%s\nthis run:\n%s", earlier.output(), degraded.output())
                    .containsExactly("legacy_stack-1.0.0");
            assertThat(degraded.output()).doesNotContain(wrong).doesNotContain(PASSWORD);
        }
    }

    @Test
    void refreshIntervalPicksUpAVersionPushedAfterStart() throws Exception {
        publish(registry, "refreshing", "legacy_stack/1.0.0");
        Map<String, String> env = Map.of("EPR_OCI_USERNAME", USER, "EPR_OCI_PASSWORD", PASSWORD);
        int port = TestPorts.free();
        List<String> args = new ArrayList<>(serveArgs(registry, "refreshing", port));
        args.addAll(List.of("-oci-refresh-interval", "300ms"));
        try (WharfProcess serve = WharfProcess.start(dir.resolve("serve-refresh"), env, args)) {
            serve.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
            assertThat(listed(port, "/search?all=true")).containsExactly("legacy_stack-1.0.0");

            Path newer = dir.resolve("newer/legacy_stack/1.0.1");
            TestPackages.copyTree(packages.resolve("legacy_stack/1.0.0"), newer);
            Path manifest = newer.resolve("manifest.yml");
            Files.writeString(manifest, Files.readString(manifest).replace("version: 1.0.0", "version: 1.0.1"));
            try (ArtifactStore store = store(registry, new Credentials.Basic(USER, PASSWORD))) {
                new PackagePublisher(store, "refreshing", 64L << 20, true).push(newer, w -> { });
            }

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> seen = listed(port, "/search?all=true");
            while (!seen.contains("legacy_stack-1.0.1") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                seen = listed(port, "/search?all=true");
            }
            assertThat(seen).as(serve.output()).containsExactly("legacy_stack-1.0.0", "legacy_stack-1.0.1");
            assertThat(json(port, "/search", 200).get(0).get("version").asText()).isEqualTo("1.0.1");
            assertThat(get(port, "/epr/legacy_stack/legacy_stack-1.0.1.zip").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesFromATokenAuthRegistryWithAnIdentityToken() throws Exception {
        String identity = "identity-token-5c2e9d";
        try (TokenServer tokens = new TokenServer(dir.resolve("token-server")).user(USER, PASSWORD).identityToken(USER, identity);
                DockerRegistryServer tokenRegistry = DockerRegistryServer.builder(dir.resolve("token-registry")).tokenAuth(tokens).start()) {
            WharfProcess push = WharfProcess.start(dir.resolve("push-token"), Map.of(), List.of("package-registry", "push",
                    "-oci-registry", tokenRegistry.host(), "-oci-insecure", "-oci-token", identity,
                    packages.resolve("sensor_input/0.3.0").toString(), packages.resolve("gallery/2.0.0").toString()));
            assertThat(push.waitFor(START)).as(push.output()).isZero();

            int port = TestPorts.free();
            try (WharfProcess serve = WharfProcess.start(dir.resolve("serve-token"), Map.of("EPR_OCI_TOKEN", identity),
                    serveArgs(tokenRegistry, "packages", port))) {
                serve.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
                assertThat(json(port, "/health", 200).get("status").asText()).as(serve.output()).isEqualTo("healthy");
                assertThat(listed(port, "/search?all=true")).containsExactly("gallery-2.0.0", "sensor_input-0.3.0");
                try (ArtifactStore store = store(tokenRegistry, new Credentials.Basic(USER, PASSWORD))) {
                    assertThat(bytes(port, "/epr/sensor_input/sensor_input-0.3.0.zip"))
                            .isEqualTo(zipBlob(store, "packages", "sensor_input-0.3.0"));
                }
                assertThat(serve.output()).doesNotContain(identity);
            }
            assertThat(push.output()).doesNotContain(identity);
            // The token went to the token server as an OAuth2 refresh token, and was granted for its user.
            assertThat(tokens.requests()).anySatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.user()).isEqualTo(USER);
                assertThat(r.granted()).isTrue();
            });
        }
    }

    private static List<String> serveArgs(DockerRegistryServer target, String repository, int port) {
        return List.of("package-registry", "-feature-oci-indexer", "-oci-registry", target.host(), "-oci-repository", repository,
                "-oci-insecure", "-address", "127.0.0.1:" + port, "-require-package-signatures=false", "-log-type", "dev");
    }

    private void publish(DockerRegistryServer target, String repository, String folder) throws Exception {
        try (ArtifactStore store = store(target, new Credentials.Basic(USER, PASSWORD))) {
            new PackagePublisher(store, repository, 64L << 20, true).push(packages.resolve(folder), w -> { });
        }
    }

    /** A store of the test's own, with fixed credentials (never the developer's Docker configuration). */
    private static RegistryArtifactStore store(DockerRegistryServer target, Credentials credentials) {
        return new RegistryArtifactStore(new RegistrySettings(target.url(), false, Optional.empty()),
                CredentialSource.fixed(credentials, "test"), RetryPolicy.none(), null);
    }

    /** The package zip exactly as the registry holds it. */
    private static byte[] zipBlob(ArtifactStore store, String repository, String tag) throws Exception {
        Manifest manifest = store.resolve(repository, tag).orElseThrow();
        try (InputStream in = store.openBlob(repository, OciPackageLayout.zipLayer(manifest, tag).orElseThrow().digest())) {
            return in.readAllBytes();
        }
    }

    private List<String> listed(int port, String path) throws Exception {
        List<String> keys = new ArrayList<>();
        json(port, path, 200).forEach(p -> keys.add(p.get("name").asText() + "-" + p.get("version").asText()));
        return keys;
    }

    private JsonNode json(int port, String path, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return Json.mapper().readTree(r.body());
    }

    private HttpResponse<byte[]> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private byte[] bytes(int port, String path) throws Exception {
        HttpResponse<byte[]> r = get(port, path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }
}
