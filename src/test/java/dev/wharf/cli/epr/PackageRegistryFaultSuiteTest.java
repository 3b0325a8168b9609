package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.TestPackages;
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
import dev.wharf.testing.WharfProcess;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * {@link FaultProxy} in front of the real docker-registry. The OCI indexer serves packages from its
 * index and its verified local copies, so a fault cannot reach a client as a cut or wrong zip: a
 * version published during a fault is simply not served (404) until it was read whole. For every
 * fault: {@code /health} reports it, no half-read package is served, and the version appears by
 * itself once the fault ends. A push through a failing registry fails with one clear line and leaves
 * no tag.
 *
 * <p>A timeout is short only where the fault is about it, on a server and proxy of their own started
 * for that case (so its fault reaches no other server's refreshes): a registry that never answers
 * meets a 700 ms response timeout and a 400 ms health probe, a blob that stops midway a 700 ms idle
 * timeout. Every other bound is 30 s, which no loaded machine reaches, so a slow answer cannot fail a
 * case in the fault's stead, as the 500–700 ms bounds every case had could. The cases wait for the
 * state they expect (serving before the fault, the fault reported, the version served after it);
 * their bound is reached only by a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageRegistryFaultSuiteTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration HANG = Duration.ofSeconds(120);

    private final AtomicInteger versions = new AtomicInteger(10);
    private Path dir;
    private DockerRegistryServer registry;
    private RegistryArtifactStore direct;
    private FaultProxy proxy;
    /** Every bound 30 s: the faults that are no timeout's. */
    private PackageFaultSuiteServer patient;
    private byte[] firstZip;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("epr-faults-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        direct = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), RetryPolicy.none(), null);
        TestPackages.publishAll(direct, dir);
        firstZip = zipInRegistry("1.0.0");
        proxy = FaultProxy.before(registry.host());
        patient = PackageFaultSuiteServer.start(dir.resolve("patient"), proxy.host(), Map.of(), START);
    }

    @AfterAll
    void stop() throws Exception {
        if (patient != null) {
            patient.close();
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

    /** A new version of acme_logs, pushed straight to the registry (not through the proxy). */
    private String publishFresh() throws Exception {
        String version = "1.0." + versions.incrementAndGet();
        new PackagePublisher(direct, TestPackages.REPOSITORY, 64L << 20, true).push(freshFolder(version), w -> { });
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

    /** Waits until {@code server} serves {@code version} whole and says healthy, however long a loaded machine takes. */
    private void serves(PackageFaultSuiteServer server, String version, byte[] zip, String when) throws Exception {
        long hang = System.nanoTime() + HANG.toNanos();
        for (Optional<String> why = server.notServing(version, zip); why.isPresent(); why = server.notServing(version, zip)) {
            if (System.nanoTime() > hang) {
                throw new AssertionError(when + ": " + why.get() + "\n" + server.output());
            }
            WharfProcess.pollPause();
        }
    }

    /** Waits until /health stops saying "healthy": a probe's result is reused for a second, and a fill fails behind the index. */
    private JsonNode reported(PackageFaultSuiteServer server, Fault fault) throws Exception {
        long hang = System.nanoTime() + HANG.toNanos();
        JsonNode report = server.health();
        while (report.get("status").asText().equals("healthy")) {
            if (System.nanoTime() > hang) {
                throw new AssertionError(fault + ": /health kept saying healthy: " + report + "\n" + server.output());
            }
            WharfProcess.pollPause();
            report = server.health();
        }
        return report;
    }

    /** Waits until the server's log holds {@code line}: the failure is counted before it is logged. */
    private void logged(PackageFaultSuiteServer server, Fault fault, String line) {
        long hang = System.nanoTime() + HANG.toNanos();
        while (!server.output().contains(line)) {
            if (System.nanoTime() > hang) {
                throw new AssertionError(fault + ": the log never said \"" + line + "\":\n" + server.output());
            }
            WharfProcess.pollPause();
        }
    }

    private void check(Fault fault, Predicate<Request> where) throws Exception {
        check(patient, proxy, fault, where, false);
    }

    private void checkBlobFault(PackageFaultSuiteServer server, FaultProxy before, Fault fault) throws Exception {
        check(server, before, fault, Request::isBlobRead, true);
    }

    /**
     * The fault is on; a version is published behind it. /health must stop saying "healthy", the
     * version must never be served half-read, and once the fault ends it must appear whole. A fault
     * on blob reads alone leaves the manifests readable: the version, pushed by Wharf, is listed from
     * its manifest's config, and its zip, fetched behind the index, is not served until it is whole.
     */
    private void check(PackageFaultSuiteServer server, FaultProxy before, Fault fault, Predicate<Request> where,
                       boolean listedFromItsManifest) throws Exception {
        // From a server that serves, is healthy and holds every package, whatever case ran before: the fault's first
        // failure is then this version's.
        serves(server, "1.0.0", firstZip, fault + ": not serving before the fault");
        long hang = System.nanoTime() + HANG.toNanos();
        for (Optional<String> why = server.notHoldingEveryPackage(); why.isPresent(); why = server.notHoldingEveryPackage()) {
            if (System.nanoTime() > hang) {
                throw new AssertionError(fault + ": not every package is served before the fault: " + why.get() + "\n" + server.output());
            }
        }
        int seen = before.requests().size();
        before.inject(fault, where);
        String version = publishFresh();
        String zip = PackageFaultSuiteServer.zip(version);
        JsonNode report = reported(server, fault);
        assertThat(report.get("status").asText()).as(fault.name()).isEqualTo("degraded");
        assertThat(report.get("error").asText()).as(fault.name()).isNotBlank();
        if (fault != Fault.REFUSE) {
            // The report is the fault's: a request it is for reached the proxy and met it there.
            List<Request> all = before.requests();
            assertThat(all.subList(seen, all.size())).as(fault + ": the request the fault is for").anyMatch(where);
        }
        // Never a zip that was not read whole and checked: not served, and not listed unless from its config.
        assertThat(server.listed(version)).as(fault.name()).isEqualTo(listedFromItsManifest);
        HttpResponse<byte[]> faulted = server.get(zip);
        if (listedFromItsManifest) {
            assertThat(faulted.statusCode()).as(fault + ": " + new String(faulted.body(), StandardCharsets.UTF_8)).isBetween(500, 599);
            logged(server, fault, "cannot fetch the blobs of acme_logs-" + version);
        } else {
            assertThat(faulted.statusCode()).as(fault.name()).isEqualTo(404);
        }
        assertThat(server.get(PackageFaultSuiteServer.FIRST_ZIP).statusCode()).as(fault + ": the index is still served").isEqualTo(200);

        before.heal();
        serves(server, version, zipInRegistry(version), fault + ": the version did not appear after the fault ended");
    }

    /** {@code fault} on a server and proxy of its own, whose {@code tight} bounds are the ones the fault is about. */
    private void onItsOwnServer(String name, Map<String, String> tight, Fault fault, boolean blob) throws Exception {
        try (FaultProxy own = FaultProxy.before(registry.host());
             PackageFaultSuiteServer server = PackageFaultSuiteServer.start(dir.resolve(name), own.host(), tight, START)) {
            if (blob) {
                checkBlobFault(server, own, fault);
            } else {
                check(server, own, fault, r -> true, false);
            }
        }
    }

    @Test
    void refusedConnections() throws Exception {
        check(Fault.REFUSE, r -> true);
    }

    @Test
    void aRegistryThatNeverAnswers() throws Exception {
        onItsOwnServer("unanswered", Map.of("response-timeout", "700ms", "health-timeout", "400ms"), Fault.STALL, false);
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
        onItsOwnServer("idle", Map.of("idle-timeout", "700ms"), Fault.STALL_MID_BODY, true);
    }

    @Test
    void aBlobResetMidway() throws Exception {
        checkBlobFault(patient, proxy, Fault.RESET_MID_BODY);
    }

    @Test
    void aTruncatedBlob() throws Exception {
        checkBlobFault(patient, proxy, Fault.TRUNCATE_BODY);
    }

    @Test
    void wrongBytesForTheDigest() throws Exception {
        checkBlobFault(patient, proxy, Fault.WRONG_BYTES);
    }

    @Test
    void aMalformedManifest() throws Exception {
        check(Fault.MALFORMED_MANIFEST, Request::isManifestRead);
    }

    @Test
    void aPushThroughAFailingRegistryLeavesNoTagAndWorksOnceTheFaultEnds() throws Exception {
        String version = "1.0." + versions.incrementAndGet();
        // The fault is the 503, no timeout: both pushes' bounds are 30 s, as the patient server's.
        List<String> args = new ArrayList<>(List.of("package-registry", "push", "-oci-registry", "http://" + proxy.host(),
                "-oci-repository", TestPackages.REPOSITORY));
        args.addAll(PackageFaultSuiteServer.bounds(Map.of()));
        args.add(freshFolder(version).toString());
        proxy.inject(Fault.STATUS_503, r -> r.method().equals("PUT") && r.path().contains("/manifests/"));
        WharfProcess failing = WharfProcess.start(dir.resolve("push-failing"), Map.of(), args);
        assertThat(failing.waitFor(START)).as(failing.output()).isEqualTo(1);
        assertThat(failing.output()).contains("HTTP 503", proxy.host());
        proxy.heal();
        assertThat(direct.listTags(TestPackages.REPOSITORY)).doesNotContain("acme_logs-" + version);
        WharfProcess again = WharfProcess.start(dir.resolve("push-again"), Map.of(), args);
        assertThat(again.waitFor(START)).as(again.output()).isZero();
        assertThat(direct.listTags(TestPackages.REPOSITORY)).contains("acme_logs-" + version);
    }
}
