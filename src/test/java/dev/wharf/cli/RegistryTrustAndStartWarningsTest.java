package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both programs against a TLS docker-registry whose certificate no JVM trusts: a private CA from a PEM
 * file ({@code --storage-oci-ca-file}, {@code -oci-ca-file} and their variables), the warnings at start
 * for insecure mode, wrong credentials and an unreachable registry, and a TLS failure that names the flags.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryTrustAndStartWarningsTest {
    private static final String USER = "tls-user";
    private static final String PASSWORD = "tls-pass-5c1f";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private DockerRegistryServer registry;
    private Path caFile;

    @BeforeAll
    void startRegistry(@TempDir Path registryDir) {
        registry = DockerRegistryServer.builder(registryDir).tls().basicAuth(USER, PASSWORD).start();
        caFile = registry.certificatePath().orElseThrow();
    }

    @AfterAll
    void stopRegistry() {
        registry.close();
    }

    @Test
    void aCaFileIsTrustedAndTheStartProbeSaysTheRegistryAnswers() throws Exception {
        try (WharfProcess server = server(Map.of("BORING_REGISTRY_STORAGE_OCI_PASSWORD", PASSWORD),
                "--storage-oci-registry", registry.host(), "--storage-oci-username", USER, "--storage-oci-ca-file", caFile.toString())) {
            awaitOutput(server, "answers with the configured credentials");
            assertThat(server.output()).doesNotContain("does not answer").doesNotContain("WARN");
        }
    }

    @Test
    void theCaFileVariableWorksAndWrongCredentialsAreAWarningAtStart() throws Exception {
        int telemetry = TestPorts.free();
        try (WharfProcess server = server(Map.of("BORING_REGISTRY_STORAGE_OCI_CA_FILE", caFile.toString(),
                "BORING_REGISTRY_STORAGE_OCI_USERNAME", USER, "BORING_REGISTRY_STORAGE_OCI_PASSWORD", "wrong-password"),
                telemetry, "--storage-oci-registry", registry.host())) {
            awaitOutput(server, "does not answer as it should");
            assertThat(server.output()).contains("the server runs anyway", USER).doesNotContain("wrong-password");
            server.awaitHttp(URI.create("http://127.0.0.1:" + telemetry + "/metrics"), DEADLINE);
            assertThat(health(telemetry)).isEqualTo(503);
            assertThat(server.isAlive()).isTrue();
        }
    }

    @Test
    void anUnreachableRegistryIsAWarningAtStartAndTheServerRuns() throws Exception {
        int telemetry = TestPorts.free();
        try (WharfProcess server = server(Map.of(), telemetry, "--storage-oci-registry", "127.0.0.1:" + TestPorts.free(),
                "--storage-oci-insecure")) {
            awaitOutput(server, "does not answer as it should");
            // Refused at once, or (a loaded machine retrying the refusals) past the probe's own deadline.
            assertThat(server.output().lines().filter(l -> l.contains("does not answer as it should")).findFirst().orElseThrow())
                    .containsAnyOf("cannot connect", "no answer within");
            server.awaitHttp(URI.create("http://127.0.0.1:" + telemetry + "/metrics"), DEADLINE);
            assertThat(health(telemetry)).isEqualTo(503);
        }
    }

    @Test
    void withoutTheCaTheTlsFailureNamesTheCaAndInsecureFlags() throws Exception {
        int telemetry = TestPorts.free();
        try (WharfProcess server = server(Map.of(), telemetry, "--storage-oci-registry", registry.host())) {
            awaitOutput(server, "does not answer as it should");
            String said = server.output();
            if (!said.contains("TLS handshake")) {
                // A loaded machine (CI): the cold JVM's first handshake outlasted the start probe's 2 s, and the
                // warning says "no answer within". /health probes again, warm, and gives the TLS failure itself.
                server.awaitHttp(URI.create("http://127.0.0.1:" + telemetry + "/metrics"), DEADLINE);
                said = healthUntil(telemetry, "TLS handshake");
            }
            assertThat(said).contains("TLS handshake", "--storage-oci-ca-file", "-oci-ca-file", "--storage-oci-insecure", "-oci-insecure");
        }
    }

    /** /health's body once it holds {@code text}; each request runs the registry probe again, so no pause is needed between them. */
    private static String healthUntil(int telemetry, String text) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String body = "";
        while (!body.contains(text)) {
            assertThat(Instant.now()).as("no '" + text + "' in /health in time: " + body).isBefore(deadline);
            body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + telemetry + "/health"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        return body;
    }

    @Test
    void insecureModeIsAWarningAtStart() throws Exception {
        try (WharfProcess server = server(Map.of("BORING_REGISTRY_STORAGE_OCI_PASSWORD", PASSWORD),
                "--storage-oci-registry", registry.host(), "--storage-oci-username", USER, "--storage-oci-insecure")) {
            awaitOutput(server, "answers with the configured credentials");
            assertThat(server.output().lines().filter(l -> l.contains("WARN")).toList())
                    .anySatisfy(l -> assertThat(l).contains("--storage-oci-insecure", "not checked"));
        }
    }

    @Test
    void packageRegistryPushesWithTheCaFileAndWarnsWhenInsecure() throws Exception {
        Path pkg = dir.resolve("pkg");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), pkg);
        Map<String, String> credentials = Map.of("EPR_OCI_USERNAME", USER, "EPR_OCI_PASSWORD", PASSWORD);
        try (WharfProcess refused = WharfProcess.start(dir.resolve("refused"), credentials, List.of("package-registry", "push",
                "-oci-registry", registry.host(), "-oci-repository", "epr-ca", pkg.toString()))) {
            assertThat(refused.waitFor(DEADLINE)).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("TLS handshake", "-oci-ca-file", "-oci-insecure");
        }
        try (WharfProcess push = WharfProcess.start(dir.resolve("push"), credentials, List.of("package-registry", "push",
                "-oci-registry", registry.host(), "-oci-repository", "epr-ca", "-oci-ca-file", caFile.toString(), pkg.toString()))) {
            assertThat(push.waitFor(DEADLINE)).as(push.output()).isZero();
            assertThat(push.output()).contains("pushed acme_logs-1.0.0");
        }
        Map<String, String> viaVariable = new java.util.HashMap<>(credentials);
        viaVariable.put("EPR_OCI_CA_FILE", caFile.toString());
        try (WharfProcess index = WharfProcess.start(dir.resolve("dry"), viaVariable, List.of("package-registry", "-dry-run",
                "-feature-oci-indexer", "-oci-registry", registry.host(), "-oci-repository", "epr-ca", "-log-type", "dev",
                "-require-package-signatures=false", "-oci-cache-dir", dir.resolve("cache").toString()))) {
            assertThat(index.waitFor(DEADLINE)).as(index.output()).isZero();
            assertThat(index.output()).contains("1 package manifests loaded").doesNotContain("-oci-insecure:");
        }
        try (WharfProcess insecure = WharfProcess.start(dir.resolve("insecure"), credentials, List.of("package-registry", "-dry-run",
                "-feature-oci-indexer", "-oci-registry", registry.host(), "-oci-repository", "epr-ca", "-log-type", "dev", "-oci-insecure",
                "-require-package-signatures=false", "-oci-cache-dir", dir.resolve("cache-insecure").toString()))) {
            assertThat(insecure.waitFor(DEADLINE)).as(insecure.output()).isZero();
            assertThat(insecure.output().lines().filter(l -> l.contains("WARN")).toList())
                    .anySatisfy(l -> assertThat(l).contains("-oci-insecure", "not checked"));
        }
    }

    private WharfProcess server(Map<String, String> env, String... storage) {
        return server(env, TestPorts.free(), storage);
    }

    private WharfProcess server(Map<String, String> env, int telemetry, String... storage) {
        List<String> args = new ArrayList<>(List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + TestPorts.free(),
                "--listen-telemetry-address", "127.0.0.1:" + telemetry));
        args.addAll(List.of(storage));
        try {
            return WharfProcess.start(Files.createTempDirectory(dir, "server"), env, args);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitOutput(WharfProcess process, String text) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!process.output().contains(text)) {
            assertThat(process.isAlive()).as("exited early:\n" + process.output()).isTrue();
            assertThat(Instant.now()).as("no '" + text + "' in time:\n" + process.output()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static int health(int telemetry) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + telemetry + "/health"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
