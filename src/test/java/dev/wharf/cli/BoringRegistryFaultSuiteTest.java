package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.FaultProxy.Request;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code boring-registry server} as a process, its registry behind a {@link FaultProxy} in front of
 * the real docker-registry, with short timeouts given by flags. For every fault: the Terraform
 * client gets a clear 5xx (never a 200 whose body is cut or wrong), {@code /health} reports the
 * fault, and service comes back by itself once the fault ends. An upload through a failing registry
 * fails with one clear line and leaves no version behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoringRegistryFaultSuiteTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final String VERSIONS = "/v1/modules/example/hello/null/versions";
    private static final String DOWNLOAD = "/v1/modules/example/hello/null/1.0.0/download";
    private static final List<String> SHORT_TIMEOUTS = List.of("--storage-oci-connect-timeout", "500ms",
            "--storage-oci-response-timeout", "700ms", "--storage-oci-idle-timeout", "700ms", "--storage-oci-retry-budget", "1500ms");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dir;
    private DockerRegistryServer registry;
    private FaultProxy proxy;
    private WharfProcess server;
    private int port;
    private int telemetry;
    private byte[] archive;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("boring-faults-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        WharfProcess upload = WharfProcess.start(dir.resolve("upload"), Map.of(), List.of("boring-registry", "upload", "module",
                "--storage-oci-registry", registry.host(), "--storage-oci-insecure", Path.of("examples/modules").toAbsolutePath().toString()));
        assertThat(upload.waitFor(START)).as(upload.output()).isZero();
        proxy = FaultProxy.before(registry.host());
        port = TestPorts.free();
        telemetry = TestPorts.free();
        List<String> args = new ArrayList<>(List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port,
                "--listen-telemetry-address", "127.0.0.1:" + telemetry, "--storage-oci-registry", "http://" + proxy.host(),
                "--storage-oci-health-timeout", "400ms", "--cache-tags-ttl", "0", "--cache-manifests-ttl", "0"));
        args.addAll(SHORT_TIMEOUTS);
        server = WharfProcess.start(dir.resolve("server"), Map.of(), args);
        server.awaitHttp(URI.create("http://127.0.0.1:" + telemetry + "/health"), START);
        archive = fileBody();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (dir != null) {
            ScratchFolder.deleteTree(dir);
        }
    }

    private HttpResponse<byte[]> get(int on, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode health() throws Exception {
        HttpResponse<byte[]> answer = get(telemetry, "/health");
        JsonNode report = json.readTree(answer.body());
        assertThat(answer.statusCode()).as(report.toString()).isEqualTo(report.get("status").asText().equals("unhealthy") ? 503 : 200);
        return report;
    }

    /** The module archive as a Terraform client fetches it: the download answer's X-Terraform-Get, then that URL. */
    private byte[] fileBody() throws Exception {
        HttpResponse<byte[]> download = get(port, DOWNLOAD);
        assertThat(download.statusCode()).as(new String(download.body())).isEqualTo(204);
        URI file = URI.create("http://127.0.0.1:" + port).resolve(download.headers().firstValue("X-Terraform-Get").orElseThrow());
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(file).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** The archive fetched during a fault: a 5xx, or a transfer the client sees break; never a whole 200 with other bytes. */
    private void fileFailsCleanly(Fault fault) throws Exception {
        HttpResponse<byte[]> download = get(port, DOWNLOAD);
        if (download.statusCode() >= 500) {
            return;
        }
        URI file = URI.create("http://127.0.0.1:" + port).resolve(download.headers().firstValue("X-Terraform-Get").orElseThrow());
        try {
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(file).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.statusCode()).as(fault + ": " + new String(answer.body())).isGreaterThanOrEqualTo(500);
            assertThat(new String(answer.body())).contains("storage failed");
        } catch (IOException broken) {
            // The client saw the transfer end before its Content-Length: it keeps nothing.
        }
    }

    /** Polls until service is back: versions, the archive byte for byte, and /health "ok". */
    private void resumes(Fault fault) throws Exception {
        proxy.heal();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> versions = get(port, VERSIONS);
            if (versions.statusCode() == 200 && java.util.Arrays.equals(fileBody(), archive)) {
                JsonNode report = health();
                if (report.get("status").asText().equals("ok")) {
                    return;
                }
                last = report.toString();
            } else {
                last = versions.statusCode() + " " + new String(versions.body());
            }
        }
        throw new AssertionError(fault + ": service did not come back after the fault ended: " + last + "\n" + server.output());
    }

    private void outage(Fault fault) throws Exception {
        proxy.inject(fault);
        HttpResponse<byte[]> versions = get(port, VERSIONS);
        assertThat(versions.statusCode()).as(fault + ": " + new String(versions.body())).isIn(502, 503);
        // Anonymous clients get the failure in general terms and a request id; the registry is named only in
        // the log and on the telemetry port's /health.
        assertThat(new String(versions.body())).contains("storage", "request id").doesNotContain(proxy.host());
        // A probe result is reused for a second, so the report may lag the fault by that much.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode report = health();
        while (!report.get("status").asText().equals("unhealthy")) {
            assertThat(System.nanoTime()).as(fault + ": /health did not report the outage: " + report).isLessThan(deadline);
            report = health();
        }
        assertThat(report.get("reason").asText()).contains(proxy.host());
        resumes(fault);
    }

    private void contentFault(Fault fault, Predicate<Request> where) throws Exception {
        proxy.inject(fault, where);
        fileFailsCleanly(fault);
        JsonNode report = health();
        assertThat(report.get("status").asText()).as(fault + ": " + report).isEqualTo("degraded");
        assertThat(report.get("reason").asText()).as(fault.name()).isNotBlank();
        resumes(fault);
    }

    @Test
    void refusedConnections() throws Exception {
        outage(Fault.REFUSE);
    }

    @Test
    void aRegistryThatNeverAnswers() throws Exception {
        outage(Fault.STALL);
    }

    @Test
    void status500() throws Exception {
        outage(Fault.STATUS_500);
    }

    @Test
    void status503() throws Exception {
        outage(Fault.STATUS_503);
    }

    @Test
    void status429WithRetryAfter() throws Exception {
        outage(Fault.STATUS_429);
    }

    @Test
    void aBlobThatStallsMidway() throws Exception {
        contentFault(Fault.STALL_MID_BODY, Request::isBlobRead);
    }

    @Test
    void aBlobResetMidway() throws Exception {
        contentFault(Fault.RESET_MID_BODY, Request::isBlobRead);
    }

    @Test
    void aTruncatedBlob() throws Exception {
        contentFault(Fault.TRUNCATE_BODY, Request::isBlobRead);
    }

    @Test
    void wrongBytesForTheDigest() throws Exception {
        contentFault(Fault.WRONG_BYTES, Request::isBlobRead);
    }

    @Test
    void aMalformedManifest() throws Exception {
        contentFault(Fault.MALFORMED_MANIFEST, Request::isManifestRead);
    }

    @Test
    void anUploadThroughAFailingRegistryLeavesNoVersionAndWorksOnceTheFaultEnds() throws Exception {
        Path module = dir.resolve("module-2");
        Files.createDirectories(module.resolve("hello"));
        Files.copy(Path.of("examples/modules/hello/main.tf"), module.resolve("hello/main.tf"));
        Files.writeString(module.resolve("hello/boring-registry.hcl"),
                Files.readString(Path.of("examples/modules/hello/boring-registry.hcl")).replace("1.0.0", "2.0.0"));
        List<String> args = new ArrayList<>(List.of("boring-registry", "upload", "module", "--storage-oci-registry", "http://" + proxy.host(),
                "--storage-oci-insecure"));
        args.addAll(SHORT_TIMEOUTS);
        args.add(module.toString());
        proxy.inject(Fault.STATUS_503, r -> r.method().equals("PUT") && r.path().contains("/manifests/"));
        WharfProcess failing = WharfProcess.start(dir.resolve("upload-failing"), Map.of(), args);
        assertThat(failing.waitFor(START)).as(failing.output()).isNotZero();
        assertThat(failing.output()).contains("HTTP 503", proxy.host());
        proxy.heal();
        assertThat(new String(get(port, VERSIONS).body())).contains("1.0.0").doesNotContain("2.0.0");
        WharfProcess again = WharfProcess.start(dir.resolve("upload-again"), Map.of(), args);
        assertThat(again.waitFor(START)).as(again.output()).isZero();
        assertThat(new String(get(port, VERSIONS).body())).contains("1.0.0", "2.0.0");
    }
}
