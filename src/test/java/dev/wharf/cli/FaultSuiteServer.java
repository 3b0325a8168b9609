package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code boring-registry server} process of {@link BoringRegistryFaultSuiteTest}, and what a
 * Terraform client and a monitor ask it: the module's versions, its archive, {@code /health}. Its
 * registry bounds are 30 s, which no loaded machine reaches, except those the fault a server is for
 * is about.
 */
final class FaultSuiteServer implements AutoCloseable {
    static final String VERSIONS = "/v1/modules/example/hello/null/versions";
    private static final String DOWNLOAD = "/v1/modules/example/hello/null/1.0.0/download";
    private static final List<String> CLIENT_BOUNDS = List.of("connect-timeout", "response-timeout", "idle-timeout", "retry-budget");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final WharfProcess process;
    private final int port;
    private final int telemetry;

    private FaultSuiteServer(WharfProcess process, int port, int telemetry) {
        this.process = process;
        this.port = port;
        this.telemetry = telemetry;
    }

    /**
     * Starts a server in {@code dir} on the registry at {@code registry}, its bounds 30 s but those {@code tight}
     * names (a flag without "--storage-oci-": "response-timeout", "health-timeout"…); {@link #awaitStarted} waits for it.
     */
    static FaultSuiteServer start(Path dir, String registry, Map<String, String> tight) {
        int port = TestPorts.free();
        int telemetry = TestPorts.free();
        List<String> args = new ArrayList<>(List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port,
                "--listen-telemetry-address", "127.0.0.1:" + telemetry, "--storage-oci-registry", "http://" + registry,
                "--cache-tags-ttl", "0", "--cache-manifests-ttl", "0", "--storage-oci-health-timeout", tight.getOrDefault("health-timeout", "30s")));
        args.addAll(bounds(tight));
        return new FaultSuiteServer(WharfProcess.start(dir, Map.of(), args), port, telemetry);
    }

    /** The registry client's flags, each 30 s unless {@code tight} names it. */
    static List<String> bounds(Map<String, String> tight) {
        List<String> args = new ArrayList<>();
        for (String bound : CLIENT_BOUNDS) {
            args.addAll(List.of("--storage-oci-" + bound, tight.getOrDefault(bound, "30s")));
        }
        return args;
    }

    void awaitStarted(Duration deadline) {
        process.awaitHttp(URI.create("http://127.0.0.1:" + telemetry + "/health"), deadline);
    }

    String output() {
        return process.output();
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return get(URI.create("http://127.0.0.1:" + port + path));
    }

    private HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The /health report, its status code checked against its status (503 for "unhealthy" alone). */
    JsonNode health() throws Exception {
        HttpResponse<byte[]> answer = get(URI.create("http://127.0.0.1:" + telemetry + "/health"));
        JsonNode report = json.readTree(answer.body());
        assertThat(answer.statusCode()).as(report.toString()).isEqualTo(report.get("status").asText().equals("unhealthy") ? 503 : 200);
        return report;
    }

    /** The file URL a Terraform client is sent to (the download answer's X-Terraform-Get); empty when that answer is no 204. */
    private Optional<URI> fileUrl(HttpResponse<byte[]> download) {
        return download.statusCode() != 204 ? Optional.empty()
                : Optional.of(URI.create("http://127.0.0.1:" + port).resolve(download.headers().firstValue("X-Terraform-Get").orElseThrow()));
    }

    private URI fileUrl() throws IOException, InterruptedException {
        HttpResponse<byte[]> download = get(DOWNLOAD);
        return fileUrl(download).orElseThrow(() -> new AssertionError(download.statusCode() + " " + new String(download.body())));
    }

    /** The module archive as a Terraform client fetches it: the download answer's X-Terraform-Get, then that URL. */
    byte[] archive() throws Exception {
        HttpResponse<byte[]> answer = get(fileUrl());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** The archive fetched during a fault: a 5xx, or a transfer the client sees break; never a whole 200 with other bytes. */
    void archiveFailsCleanly(Fault fault) throws Exception {
        if (get(DOWNLOAD).statusCode() >= 500) {
            return;
        }
        try {
            HttpResponse<byte[]> answer = get(fileUrl());
            assertThat(answer.statusCode()).as(fault + ": " + new String(answer.body())).isGreaterThanOrEqualTo(500);
            assertThat(new String(answer.body())).contains("storage failed");
        } catch (IOException broken) {
            // The client saw the transfer end before its Content-Length: it keeps nothing.
        }
    }

    /** Why the server does not serve as before the fault (versions, {@code archive} byte for byte, /health "ok"); empty when it does. */
    Optional<String> notServing(byte[] archive) throws Exception {
        try {
            HttpResponse<byte[]> versions = get(VERSIONS);
            if (versions.statusCode() != 200) {
                return Optional.of("versions: " + versions.statusCode() + " " + new String(versions.body()));
            }
            HttpResponse<byte[]> download = get(DOWNLOAD);
            Optional<URI> file = fileUrl(download);
            if (file.isEmpty()) {
                return Optional.of("download: " + download.statusCode() + " " + new String(download.body()));
            }
            HttpResponse<byte[]> answer = get(file.get());
            if (answer.statusCode() != 200 || !Arrays.equals(answer.body(), archive)) {
                return Optional.of("file: " + answer.statusCode() + ", " + answer.body().length + " bytes");
            }
        } catch (IOException e) {
            return Optional.of("a transfer broke: " + e);
        }
        JsonNode report = health();
        return report.get("status").asText().equals("ok") ? Optional.empty() : Optional.of(report.toString());
    }

    @Override
    public void close() {
        process.close();
    }
}
