package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.FaultProxy.Request;
import dev.wharf.testing.WharfProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code boring-registry server} as a process, its registry behind a {@link FaultProxy} in front of
 * the real docker-registry. For every fault: the Terraform client gets a clear 5xx (never a 200 whose
 * body is cut or wrong), {@code /health} reports the fault, and service comes back by itself once the
 * fault ends. An upload through a failing registry fails with one clear line and leaves no version
 * behind.
 *
 * <p>A timeout is short only where the fault is about it, on a server of its own: a registry that
 * never answers meets a 700 ms response timeout and a 400 ms health probe, a blob that stops midway
 * a 700 ms idle timeout. Every other bound is 30 s, which no loaded machine reaches, so a slow answer
 * cannot fail a case in the fault's stead: with 500–700 ms bounds everywhere, the upload's first
 * request timed out on two cores at load 10–17 before it met the 503 the case is about. The cases
 * wait for the state they expect (the outage reported, service back); their bound is reached only by
 * a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoringRegistryFaultSuiteTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration HANG = Duration.ofSeconds(120);

    private Path dir;
    private DockerRegistryServer registry;
    private FaultProxy proxy;
    private final List<FaultSuiteServer> servers = new ArrayList<>();
    /** Every bound 30 s: the faults that are no timeout's. */
    private FaultSuiteServer patient;
    /** A short response timeout and health probe: the registry that never answers. */
    private FaultSuiteServer unanswered;
    /** A short idle timeout: the blob that stops midway. */
    private FaultSuiteServer idle;
    private byte[] archive;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("boring-faults-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        WharfProcess upload = WharfProcess.start(dir.resolve("upload"), Map.of(), List.of("boring-registry", "upload", "module",
                "--storage-oci-registry", registry.host(), "--storage-oci-insecure", Path.of("examples/modules").toAbsolutePath().toString()));
        assertThat(upload.waitFor(START)).as(upload.output()).isZero();
        proxy = FaultProxy.before(registry.host());
        patient = serve("patient", Map.of());
        unanswered = serve("unanswered", Map.of("response-timeout", "700ms", "health-timeout", "400ms"));
        idle = serve("idle", Map.of("idle-timeout", "700ms"));
        for (FaultSuiteServer s : servers) {
            s.awaitStarted(START);
        }
        archive = patient.archive();
    }

    private FaultSuiteServer serve(String name, Map<String, String> tight) {
        FaultSuiteServer server = FaultSuiteServer.start(dir.resolve(name), proxy.host(), tight);
        servers.add(server);
        return server;
    }

    @AfterAll
    void stop() {
        servers.forEach(FaultSuiteServer::close);
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

    /** Ends the fault and waits until service is back, however long a loaded machine takes to get there. */
    private void resumes(FaultSuiteServer server, Fault fault) throws Exception {
        proxy.heal();
        long hang = System.nanoTime() + HANG.toNanos();
        for (Optional<String> why = server.notServing(archive); why.isPresent(); why = server.notServing(archive)) {
            if (System.nanoTime() > hang) {
                throw new AssertionError(fault + ": service did not come back after the fault ended: " + why.get() + "\n" + server.output());
            }
            WharfProcess.pollPause();
        }
    }

    /** Waits for the /health report {@code expected} picks: a probe's result is reused for a second, so it may lag the fault. */
    private JsonNode reported(FaultSuiteServer server, Fault fault, Predicate<JsonNode> expected) throws Exception {
        long hang = System.nanoTime() + HANG.toNanos();
        JsonNode report = server.health();
        while (!expected.test(report)) {
            if (System.nanoTime() > hang) {
                throw new AssertionError(fault + ": /health did not report the fault: " + report);
            }
            WharfProcess.pollPause();
            report = server.health();
        }
        return report;
    }

    /** The requests the proxy has seen since it had seen {@code before}. */
    private List<Request> seenSince(int before) {
        List<Request> all = proxy.requests();
        return all.subList(before, all.size());
    }

    private void outage(FaultSuiteServer server, Fault fault) throws Exception {
        int before = proxy.requests().size();
        proxy.inject(fault);
        HttpResponse<byte[]> versions = server.get(FaultSuiteServer.VERSIONS);
        assertThat(versions.statusCode()).as(fault + ": " + new String(versions.body())).isIn(502, 503);
        // Anonymous clients get the failure in general terms and a request id; the registry is named only in
        // the log and on the telemetry port's /health.
        assertThat(new String(versions.body())).contains("storage", "request id").doesNotContain(proxy.host());
        if (fault != Fault.REFUSE) {
            // The failure is the fault's: the versions' tag listing reached the proxy and met it there.
            assertThat(seenSince(before)).as(fault.name()).anyMatch(r -> r.path().contains("/tags/list"));
        }
        JsonNode report = reported(server, fault, r -> r.get("status").asText().equals("unhealthy"));
        assertThat(report.get("reason").asText()).contains(proxy.host());
        resumes(server, fault);
    }

    private void contentFault(FaultSuiteServer server, Fault fault, Predicate<Request> where) throws Exception {
        int before = proxy.requests().size();
        proxy.inject(fault, where);
        server.archiveFailsCleanly(fault);
        assertThat(seenSince(before)).as(fault + ": the request the fault is for").anyMatch(where);
        JsonNode report = server.health();
        assertThat(report.get("status").asText()).as(fault + ": " + report).isEqualTo("degraded");
        assertThat(report.get("reason").asText()).as(fault.name()).isNotBlank();
        resumes(server, fault);
    }

    @Test
    void refusedConnections() throws Exception {
        outage(patient, Fault.REFUSE);
    }

    @Test
    void aRegistryThatNeverAnswers() throws Exception {
        outage(unanswered, Fault.STALL);
    }

    @Test
    void status500() throws Exception {
        outage(patient, Fault.STATUS_500);
    }

    @Test
    void status503() throws Exception {
        outage(patient, Fault.STATUS_503);
    }

    @Test
    void status429WithRetryAfter() throws Exception {
        outage(patient, Fault.STATUS_429);
    }

    @Test
    void aBlobThatStallsMidway() throws Exception {
        contentFault(idle, Fault.STALL_MID_BODY, Request::isBlobRead);
    }

    @Test
    void aBlobResetMidway() throws Exception {
        contentFault(patient, Fault.RESET_MID_BODY, Request::isBlobRead);
    }

    @Test
    void aTruncatedBlob() throws Exception {
        contentFault(patient, Fault.TRUNCATE_BODY, Request::isBlobRead);
    }

    @Test
    void wrongBytesForTheDigest() throws Exception {
        contentFault(patient, Fault.WRONG_BYTES, Request::isBlobRead);
    }

    @Test
    void aMalformedManifest() throws Exception {
        contentFault(patient, Fault.MALFORMED_MANIFEST, Request::isManifestRead);
    }

    @Test
    void anUploadThroughAFailingRegistryLeavesNoVersionAndWorksOnceTheFaultEnds() throws Exception {
        Path module = dir.resolve("module-2");
        Files.createDirectories(module.resolve("hello"));
        Files.copy(Path.of("examples/modules/hello/main.tf"), module.resolve("hello/main.tf"));
        Files.writeString(module.resolve("hello/boring-registry.hcl"),
                Files.readString(Path.of("examples/modules/hello/boring-registry.hcl")).replace("1.0.0", "2.0.0"));
        // The fault is the 503, no timeout: the upload's bounds are 30 s, as the patient server's.
        List<String> args = new ArrayList<>(List.of("boring-registry", "upload", "module", "--storage-oci-registry", "http://" + proxy.host(),
                "--storage-oci-insecure"));
        args.addAll(FaultSuiteServer.bounds(Map.of()));
        args.add(module.toString());
        proxy.inject(Fault.STATUS_503, r -> r.method().equals("PUT") && r.path().contains("/manifests/"));
        WharfProcess failing = WharfProcess.start(dir.resolve("upload-failing"), Map.of(), args);
        assertThat(failing.waitFor(START)).as(failing.output()).isNotZero();
        assertThat(failing.output()).contains("HTTP 503", proxy.host());
        proxy.heal();
        assertThat(new String(patient.get(FaultSuiteServer.VERSIONS).body())).contains("1.0.0").doesNotContain("2.0.0");
        WharfProcess again = WharfProcess.start(dir.resolve("upload-again"), Map.of(), args);
        assertThat(again.waitFor(START)).as(again.output()).isZero();
        assertThat(new String(patient.get(FaultSuiteServer.VERSIONS).body())).contains("1.0.0", "2.0.0");
    }
}
