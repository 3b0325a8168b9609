package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.FaultProxy.Request;
import dev.wharf.testing.TestPorts;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code package-registry -feature-oci-indexer} as a process, its registry behind a
 * {@link FaultProxy} in front of the real docker-registry, with short timeouts given by flags. The
 * OCI indexer serves packages from its index and its verified local copies, so a fault cannot reach
 * a client as a cut or wrong zip: a version published during a fault is simply not served (404)
 * until it was read whole. For every fault: {@code /health} reports it, no half-read package is
 * served, and the version appears by itself once the fault ends. A push through a failing registry
 * fails with one clear line and leaves no tag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageRegistryFaultSuiteTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final List<String> SHORT_TIMEOUTS = List.of("-oci-connect-timeout", "500ms", "-oci-response-timeout", "700ms",
            "-oci-idle-timeout", "700ms", "-oci-retry-budget", "1500ms");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger versions = new AtomicInteger(10);
    private Path dir;
    private DockerRegistryServer registry;
    private RegistryArtifactStore direct;
    private FaultProxy proxy;
    private WharfProcess server;
    private int port;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("epr-faults-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        direct = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), RetryPolicy.none(), null);
        TestPackages.publishAll(direct, dir);
        proxy = FaultProxy.before(registry.host());
        port = TestPorts.free();
        List<String> args = new ArrayList<>(List.of("package-registry", "-feature-oci-indexer", "-oci-registry", "http://" + proxy.host(),
                "-oci-repository", TestPackages.REPOSITORY, "-address", "127.0.0.1:" + port, "-require-package-signatures=false",
                "-log-type", "dev", "-oci-refresh-interval", "300ms", "-oci-health-timeout", "400ms",
                "-oci-cache-dir", dir.resolve("cache").toString()));
        args.addAll(SHORT_TIMEOUTS);
        server = WharfProcess.start(dir.resolve("serve"), Map.of(), args);
        server.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (registry != null) {
            registry.close();
        }
        TestPackages.deleteTree(dir);
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode health() throws Exception {
        HttpResponse<byte[]> answer = get("/health");
        return Json.mapper().readTree(answer.body());
    }

    /** A new version of acme_logs, pushed straight to the registry (not through the proxy). */
    private String publishFresh() throws Exception {
        String version = "1.0." + versions.incrementAndGet();
        Path folder = freshFolder(version);
        new PackagePublisher(direct, TestPackages.REPOSITORY, 64L << 20, true).push(folder, w -> { });
        return version;
    }

    private Path freshFolder(String version) throws Exception {
        Path folder = dir.resolve("fresh/acme_logs/" + version);
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), folder);
        Path manifest = folder.resolve("manifest.yml");
        Files.writeString(manifest, Files.readString(manifest).replace("version: 1.0.0", "version: " + version));
        return folder;
    }

    private byte[] zipInRegistry(String version) throws Exception {
        String tag = "acme_logs-" + version;
        Manifest manifest = direct.resolve(TestPackages.REPOSITORY, tag).orElseThrow();
        try (InputStream in = direct.openBlob(TestPackages.REPOSITORY, OciPackageLayout.zipLayer(manifest, tag).orElseThrow().digest())) {
            return in.readAllBytes();
        }
    }

    private boolean listed(String version) throws Exception {
        for (JsonNode p : Json.mapper().readTree(get("/search?package=acme_logs&all=true").body())) {
            if (p.get("version").asText().equals(version)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fault is on; a version is published behind it. /health must stop saying "healthy", the
     * version must never be served half-read, and once the fault ends it must appear whole. A fault
     * on blob reads alone leaves the manifests readable: the version, pushed by Wharf, is listed from
     * its manifest's config, and its zip, fetched behind the index, is not served until it is whole.
     */
    private void check(Fault fault, Predicate<Request> where) throws Exception {
        check(fault, where, false);
    }

    private void checkBlobFault(Fault fault) throws Exception {
        check(fault, Request::isBlobRead, true);
    }

    private void check(Fault fault, Predicate<Request> where, boolean listedFromItsManifest) throws Exception {
        proxy.inject(fault, where);
        String version = publishFresh();
        String zip = "/epr/acme_logs/acme_logs-" + version + ".zip";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode report = health();
        while (report.get("status").asText().equals("healthy")) {
            assertThat(System.nanoTime()).as(fault + ": /health kept saying healthy: " + report + "\n" + server.output()).isLessThan(deadline);
            report = health();
        }
        assertThat(report.get("status").asText()).as(fault.name()).isEqualTo("degraded");
        assertThat(report.get("error").asText()).as(fault.name()).isNotBlank();
        // Never a zip that was not read whole and checked: not served, and not listed unless from its config.
        assertThat(listed(version)).as(fault.name()).isEqualTo(listedFromItsManifest);
        HttpResponse<byte[]> faulted = get(zip);
        if (listedFromItsManifest) {
            assertThat(faulted.statusCode()).as(fault + ": " + new String(faulted.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .isBetween(500, 599);
            assertThat(server.output()).as(fault.name()).contains("cannot fetch the blobs of acme_logs-" + version);
        } else {
            assertThat(faulted.statusCode()).as(fault.name()).isEqualTo(404);
        }
        assertThat(get("/epr/acme_logs/acme_logs-1.0.0.zip").statusCode()).as(fault + ": the index is still served").isEqualTo(200);

        proxy.heal();
        byte[] expected = zipInRegistry(version);
        String last = "";
        while (System.nanoTime() < deadline + Duration.ofSeconds(20).toNanos()) {
            JsonNode now = health();
            if (listed(version) && now.get("status").asText().equals("healthy")) {
                HttpResponse<byte[]> served = get(zip);
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.body()).isEqualTo(expected);
                return;
            }
            last = now.toString();
        }
        throw new AssertionError(fault + ": the version did not appear after the fault ended: " + last + "\n" + server.output());
    }

    @Test
    void refusedConnections() throws Exception {
        check(Fault.REFUSE, r -> true);
    }

    @Test
    void aRegistryThatNeverAnswers() throws Exception {
        check(Fault.STALL, r -> true);
    }

    @Test
    void status500() throws Exception {
        check(Fault.STATUS_500, r -> true);
    }

    @Test
    void status503() throws Exception {
        check(Fault.STATUS_503, r -> true);
    }

    @Test
    void status429WithRetryAfter() throws Exception {
        check(Fault.STATUS_429, r -> true);
    }

    @Test
    void aBlobThatStallsMidway() throws Exception {
        checkBlobFault(Fault.STALL_MID_BODY);
    }

    @Test
    void aBlobResetMidway() throws Exception {
        checkBlobFault(Fault.RESET_MID_BODY);
    }

    @Test
    void aTruncatedBlob() throws Exception {
        checkBlobFault(Fault.TRUNCATE_BODY);
    }

    @Test
    void wrongBytesForTheDigest() throws Exception {
        checkBlobFault(Fault.WRONG_BYTES);
    }

    @Test
    void aMalformedManifest() throws Exception {
        check(Fault.MALFORMED_MANIFEST, Request::isManifestRead);
    }

    @Test
    void aPushThroughAFailingRegistryLeavesNoTagAndWorksOnceTheFaultEnds() throws Exception {
        String version = "1.0." + versions.incrementAndGet();
        Path folder = freshFolder(version);
        List<String> healthyArgs = List.of("package-registry", "push", "-oci-registry", "http://" + proxy.host(),
                "-oci-repository", TestPackages.REPOSITORY, folder.toString());
        // Short timeouts only for the push meant to fail: the one after the fault must not trip them on a loaded machine.
        List<String> args = new ArrayList<>(healthyArgs.subList(0, healthyArgs.size() - 1));
        args.addAll(SHORT_TIMEOUTS);
        args.add(folder.toString());
        proxy.inject(Fault.STATUS_503, r -> r.method().equals("PUT") && r.path().contains("/manifests/"));
        WharfProcess failing = WharfProcess.start(dir.resolve("push-failing"), Map.of(), args);
        assertThat(failing.waitFor(START)).as(failing.output()).isEqualTo(1);
        assertThat(failing.output()).contains("HTTP 503", proxy.host());
        proxy.heal();
        assertThat(direct.listTags(TestPackages.REPOSITORY)).doesNotContain("acme_logs-" + version);
        WharfProcess again = WharfProcess.start(dir.resolve("push-again"), Map.of(), healthyArgs);
        assertThat(again.waitFor(START)).as(again.output()).isZero();
        assertThat(direct.listTags(TestPackages.REPOSITORY)).contains("acme_logs-" + version);
    }
}
