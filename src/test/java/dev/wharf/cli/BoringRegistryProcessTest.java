package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TerraformCli;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command line in its own JVM through {@link Main}: {@code boring-registry server} over TLS
 * with storage in an htpasswd-protected docker-registry whose credentials come from
 * {@code BORING_REGISTRY_STORAGE_OCI_USERNAME/PASSWORD}, {@code boring-registry upload module} the same
 * way, then {@code terraform init}; and the same server with a wrong password, which must say so
 * without the secret and report itself unhealthy. Uses the jar at {@code wharf.jar} when it is at least
 * as new as the compiled classes, else the test classpath.
 */
class BoringRegistryProcessTest {
    private static final String USER = "wharf";
    private static final String PASSWORD = "correct-horse-7b1e";
    private static final String WRONG_PASSWORD = "wrong-battery-c93d";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private DockerRegistryServer registry;
    private TestCertificates.SelfSigned certificate;
    private Path certFile;
    private HttpClient https;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        registry = DockerRegistryServer.builder(dir.resolve("registry")).basicAuth(USER, PASSWORD).start();
        certificate = TestCertificates.localhost();
        certFile = certificate.writePem(dir.resolve("tls"));
        https = HttpClient.newBuilder().sslContext(certificate.trustingContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        registry.close();
    }

    @Test
    void serverAndUploadFromTheCommandLineServeTerraformWithCredentialsFromTheEnvironment() throws Exception {
        Started server = startServer(PASSWORD);
        assertThat(health(server).statusCode()).as(server.log()).isEqualTo(200);

        Path upload = dir.resolve("upload.log");
        Process uploading = wharf(List.of("boring-registry", "upload", "module", "--storage-oci-registry", registry.host(),
                "--storage-oci-repository", "boring-registry", "--storage-oci-insecure",
                Path.of("examples/modules").toAbsolutePath().toString()), PASSWORD, upload);
        assertThat(uploading.waitFor(3, TimeUnit.MINUTES)).as("upload finished").isTrue();
        assertThat(uploading.exitValue()).as(Files.readString(upload)).isZero();
        assertThat(Files.readString(upload)).doesNotContain(PASSWORD);

        String host = "127.0.0.1:" + server.port();
        Path cliConfig = dir.resolve("cli.tfrc");
        TerraformCli.writeConfig(cliConfig, host, null);
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("main.tf"), """
                module "hello" {
                  source  = "%s/example/hello/null"
                  version = "~> 1.0"
                  name    = "wharf"
                }
                """.formatted(host));
        TerraformCli.Result init = new TerraformCli(cliConfig, certFile).run(root, "init", "-no-color");
        assertThat(init.ok()).as(init.output() + "\n--- server log ---\n" + server.log()).isTrue();
        assertThat(init.output()).contains("Downloading " + host + "/example/hello/null 1.0.0");
        assertThat(server.log()).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongStoragePasswordGivesABadGatewayInGeneralTermsAndTheDetailOnlyInTheLogAndTelemetry() throws Exception {
        Started server = startServer(WRONG_PASSWORD);

        HttpResponse<String> versions = https.send(HttpRequest.newBuilder(server.registryUri("/v1/modules/example/hello/null/versions"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(versions.statusCode()).as(versions.body()).isEqualTo(502);
        JsonNode errors = JSON.readTree(versions.body()).get("errors");
        assertThat(errors.size()).isEqualTo(1);
        // Anonymous: what failed in general terms and a request id, never the registry, repository or user.
        String id = versions.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(errors.get(0).asText()).isEqualTo("storage refused the server's credentials (request id " + id
                + "; the server log has the details)");
        assertThat(versions.body()).doesNotContain(registry.host()).doesNotContain(USER).doesNotContain("boring-registry/");
        // The detail is in the log under that id.
        assertThat(server.log().lines().filter(l -> l.contains("request " + id)).toList()).singleElement().asString()
                .contains(registry.host(), USER, "check the username and password");

        // And on the telemetry address.
        HttpResponse<String> health = health(server);
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode report = JSON.readTree(health.body());
        assertThat(report.get("status").asText()).isEqualTo("unhealthy");
        assertThat(report.get("reason").asText()).containsIgnoringCase("credentials").contains(registry.host(), USER);
        assertThat(health.body()).doesNotContain(WRONG_PASSWORD);
        assertThat(server.log()).doesNotContain(WRONG_PASSWORD);
    }

    /** A server process and where it listens. */
    private record Started(Process process, int port, int telemetryPort, Path logFile) {
        URI registryUri(String path) {
            return URI.create("https://127.0.0.1:" + port + path);
        }

        String log() {
            try {
                return Files.readString(logFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Started startServer(String password) throws Exception {
        int port = TestPorts.free();
        int telemetry = TestPorts.free();
        Path log = dir.resolve("server-" + port + ".log");
        Process process = wharf(List.of("boring-registry", "server",
                "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:" + telemetry,
                "--tls-cert-file", certFile.toString(), "--tls-key-file", certFile.resolveSibling("key.pem").toString(),
                "--storage-oci-registry", registry.host(), "--storage-oci-repository", "boring-registry", "--storage-oci-insecure"),
                password, log);
        Started started = new Started(process, port, telemetry, log);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            assertThat(process.isAlive()).as("the server process exited early:\n" + started.log()).isTrue();
            try {
                health(started);
                return started;
            } catch (IOException notYet) {
                assertThat(Instant.now()).as("the server did not answer in time:\n" + started.log()).isBefore(deadline);
                Thread.sleep(200);
            }
        }
    }

    private HttpResponse<String> health(Started server) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.telemetryPort() + "/health"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts {@code java … dev.wharf.cli.Main args} with the storage credentials in the environment only. */
    private Process wharf(List<String> args, String password, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath(), "dev.wharf.cli.Main"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("BORING_REGISTRY_") || k.startsWith("OCI_REGISTRY_"));
        env.put("BORING_REGISTRY_STORAGE_OCI_USERNAME", USER);
        env.put("BORING_REGISTRY_STORAGE_OCI_PASSWORD", password);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String classpath() throws IOException {
        String jar = System.getProperty("wharf.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar)) && !olderThanClasses(Path.of(jar))) {
            return jar;
        }
        return System.getProperty("java.class.path");
    }

    /** A jar left from an earlier build must not stand in for the code under test. */
    private static boolean olderThanClasses(Path jar) throws IOException {
        Path classes = Path.of("target/classes");
        if (!Files.isDirectory(classes)) {
            return false;
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(built) > 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
