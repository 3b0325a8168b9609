package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.FaultProxy.Request;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The registry client against the real docker-registry behind a {@link FaultProxy}: each fault
 * gives one clear failure (never a hang, never content that is not what its digest says), the retry
 * rule repeats exactly what it should, nothing half-pushed becomes visible, and the same store works
 * again as soon as the fault ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryFaultTest {
    /** Short bounds so that each fault costs a test about a second. */
    static final RegistryTimeouts SHORT = new RegistryTimeouts(Duration.ofMillis(500), Duration.ofMillis(700),
            Duration.ofMillis(700), Duration.ofMillis(1800));
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));
    private static final String REPO = "faults/app";

    private Path dir;
    private DockerRegistryServer registry;
    private FaultProxy proxy;
    private RegistryArtifactStore store;
    private Manifest pushed;
    private byte[] content;

    @BeforeAll
    void startRegistry() throws IOException {
        dir = Files.createTempDirectory("registry-faults-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        content = new byte[256 << 10];
        new Random(7).nextBytes(content);
        try (RegistryArtifactStore direct = store(registry.host(), RETRY)) {
            pushed = direct.push(REPO, "1", artifact(content), false);
        }
    }

    @AfterAll
    void stopRegistry() {
        registry.close();
        ScratchFolder.deleteTree(dir);
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.before(registry.host());
        store = store(proxy.host(), RETRY);
    }

    @AfterEach
    void stopProxy() {
        store.close();
        proxy.close();
    }

    private static RegistryArtifactStore store(String host, RetryPolicy retry) {
        return new RegistryArtifactStore(new RegistrySettings("http://" + host, false, Optional.empty(), SHORT),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), retry, null);
    }

    private static Artifact artifact(byte[] bytes) {
        return Artifact.single("application/vnd.wharf.test.v1", Layer.file("application/octet-stream", "f.bin", BlobSource.ofBytes(bytes)));
    }

    private Digest blob() {
        return pushed.layers().get(0).digest();
    }

    private byte[] readBlob() throws IOException {
        try (InputStream in = store.openBlob(REPO, blob())) {
            return in.readAllBytes();
        }
    }

    private long count(Predicate<Request> which) {
        return proxy.requests().stream().filter(which).count();
    }

    /** After the fault: the same store reads the artifact whole. */
    private void resumes() throws IOException {
        proxy.heal();
        assertThat(store.listTags(REPO)).contains("1");
        assertThat(store.resolve(REPO, "1")).contains(pushed);
        assertThat(readBlob()).isEqualTo(content);
    }

    @Test
    void refusedConnectionsAreUnreachableAndServiceResumes() throws IOException {
        proxy.inject(Fault.REFUSE);
        assertThatThrownBy(() -> store.resolve(REPO, "1")).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains(proxy.host(), "cannot connect", "check that the registry is running");
        });
        resumes();
    }

    @Test
    void aRegistryThatAcceptsButNeverAnswersFailsWithinTheRetryBudget() throws IOException {
        store.listTags(REPO);
        proxy.inject(Fault.STALL);
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.listTags(REPO)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains("no answer", "in time", REPO);
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // The budget bounds the whole request, retries included (before: 60 s per attempt, four attempts).
        assertThat(took).isLessThan(SHORT.retryBudget().plus(SHORT.response()).plusSeconds(1));
        assertThat(count(r -> r.path().endsWith("/tags/list"))).as("a stalled GET is tried again").isGreaterThanOrEqualTo(2);
        resumes();
    }

    /** The idle timeout restarts with each byte: a small answer read whole must also end within its request's budget. */
    @Test
    void aTrickledTagListOrManifestFailsWithinTheRetryBudget() throws IOException {
        proxy.inject(Fault.TRICKLE_BODY, r -> r.path().endsWith("/tags/list") || r.isManifestRead());
        Duration bound = SHORT.retryBudget().plus(SHORT.response()).plusSeconds(1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.listTags(REPO)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains(proxy.host(), REPO, "list the tags", "too slowly",
                    "retry budget of " + SHORT.retryBudget().toMillis() + " ms");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("listing the tags").isLessThan(bound);
        start = System.nanoTime();
        assertThatThrownBy(() -> store.resolve(REPO, "1")).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains(proxy.host(), REPO, "too slowly");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("reading the manifest").isLessThan(bound);
        resumes();
    }

    @Test
    void aBlobThatStallsMidwayFailsInsteadOfHanging() throws IOException {
        proxy.inject(Fault.STALL_MID_BODY, Request::isBlobRead);
        assertThatThrownBy(this::readBlob).isInstanceOf(IOException.class).hasMessageContaining("sent nothing");
        resumes();
    }

    @Test
    void aBlobResetMidwayFails() throws IOException {
        proxy.inject(Fault.RESET_MID_BODY, Request::isBlobRead);
        assertThatThrownBy(this::readBlob).isInstanceOf(IOException.class);
        resumes();
    }

    @Test
    void aTruncatedBlobFails() throws IOException {
        proxy.inject(Fault.TRUNCATE_BODY, Request::isBlobRead);
        // Its message was Jetty's dump of the connection's state ("oejcti.HttpConnectionOverHTTP@…", 1 200 characters),
        // which reached /health and the log.
        assertThatThrownBy(this::readBlob).isInstanceOf(EOFException.class)
                .hasMessageMatching("the registry closed the connection after \\d+ bytes of the answer's body, before its end");
        resumes();
    }

    @Test
    void wrongBytesForADigestFail() throws IOException {
        proxy.inject(Fault.WRONG_BYTES, Request::isBlobRead);
        assertThatThrownBy(this::readBlob).isInstanceOf(IOException.class).hasMessageContaining("does not match its digest");
        resumes();
    }

    @Test
    void aMalformedManifestIsAProtocolError() throws IOException {
        proxy.inject(Fault.MALFORMED_MANIFEST, Request::isManifestRead);
        assertThatThrownBy(() -> store.resolve(REPO, "1")).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(e.getMessage()).contains(REPO, "not an artifact manifest");
        });
        resumes();
    }

    /** The first {@code k} requests {@code which} selects from now on, and none after them. */
    private static Predicate<Request> firstOf(int k, Predicate<Request> which) {
        AtomicInteger met = new AtomicInteger();
        return r -> which.test(r) && met.incrementAndGet() <= k;
    }

    private static boolean isManifestCheck(Request r) {
        return r.method().equals("HEAD") && r.path().contains("/manifests/");
    }

    /**
     * docker-registry answers 500 to a tag's HEAD or GET while another writer re-tags it, and the next try finds the tag
     * whole: two 500s in a row, then the read succeeds, for the tag check and the manifest read alike.
     */
    @Test
    void a500ToAReadThatClearsIsRetriedAndTheReadSucceeds() throws IOException {
        proxy.inject(Fault.STATUS_500, firstOf(2, RegistryFaultTest::isManifestCheck));
        assertThat(store.exists(REPO, "1")).isTrue();
        assertThat(count(RegistryFaultTest::isManifestCheck)).as("two 500s, then the answer").isEqualTo(3);

        proxy.inject(Fault.STATUS_500, firstOf(2, Request::isManifestRead));
        assertThat(store.resolve(REPO, "1")).contains(pushed);
        assertThat(count(Request::isManifestRead)).as("two 500s, then the manifest").isEqualTo(3);
        resumes();
    }

    /**
     * A registry whose storage is broken answers 500 to everything: three tries in all, though the policy allows ten,
     * and one line that names the answer, what was being done and how often it was asked.
     */
    @Test
    void a500ThatNeverClearsFailsAfterThreeTriesInOneLine() throws IOException {
        RetryPolicy patient = new RetryPolicy(10, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));
        proxy.inject(Fault.STATUS_500, RegistryFaultTest::isManifestCheck);
        try (RegistryArtifactStore retrying = store(proxy.host(), patient)) {
            assertThatThrownBy(() -> retrying.exists(REPO, "1")).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.REGISTRY_ERROR);
                assertThat(e.getMessage()).isEqualTo("registry " + proxy.host() + ", repository " + REPO + ": the registry failed with"
                        + " HTTP 500 when trying to check whether tag '1' exists (tried 3 times); check the registry's health and logs");
            });
        }
        assertThat(count(RegistryFaultTest::isManifestCheck)).isEqualTo(3);

        proxy.inject(Fault.STATUS_500, Request::isManifestRead);
        assertThatThrownBy(() -> store.resolve(REPO, "1")).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.REGISTRY_ERROR);
            assertThat(e.getMessage()).contains("HTTP 500", "(tried 3 times)", "injected fault").doesNotContain("\n");
        });
        assertThat(count(Request::isManifestRead)).isEqualTo(3);
        resumes();
    }

    @Test
    void a502A503AndA504AreRetriedForReads() throws IOException {
        for (Fault fault : List.of(Fault.STATUS_502, Fault.STATUS_503, Fault.STATUS_504)) {
            proxy.inject(fault, Request::isManifestRead);
            long before = count(Request::isManifestRead);
            assertThatThrownBy(() -> store.resolve(REPO, "1")).as(fault.name()).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.REGISTRY_ERROR));
            assertThat(count(Request::isManifestRead) - before).as(fault.name()).isEqualTo(RETRY.maxAttempts());
        }
        resumes();
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() throws IOException {
        proxy.inject(Fault.STATUS_429, Request::isManifestRead);
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.resolve(REPO, "1")).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.REGISTRY_ERROR);
            assertThat(e.getMessage()).contains("rate-limiting", "TOOMANYREQUESTS");
        });
        assertThat(count(Request::isManifestRead)).as("one retry fits the budget after Retry-After: 1").isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("Retry-After honoured").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        resumes();
    }

    @Test
    void a429AskingForMoreThanTheCapIsNotRetriedEarly() throws IOException {
        store.close();
        store = store(proxy.host(), new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(500)));
        proxy.inject(Fault.STATUS_429, Request::isManifestRead);
        assertThatThrownBy(() -> store.resolve(REPO, "1")).isInstanceOf(StorageException.class);
        assertThat(count(Request::isManifestRead)).isEqualTo(1);
        resumes();
    }

    @Test
    void a503OnAnUploadStepIsNotRepeatedOnItsOwnAndLeavesNoTag() throws IOException {
        Predicate<Request> uploadStep = r -> (r.method().equals("PUT") || r.method().equals("PATCH")) && r.path().contains("/blobs/uploads/");
        proxy.inject(Fault.STATUS_503, uploadStep);
        byte[] other = "a new blob for the upload test".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.push(REPO, "2", artifact(other), false)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.getMessage()).contains("HTTP 503"));
        List<Request> steps = proxy.requests().stream().filter(r -> r.path().contains("/blobs/uploads/")).toList();
        // Each PUT comes right after the POST that opened its session: a failed step is never sent again on its own.
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).method().equals("PUT")) {
                assertThat(steps.get(i - 1).method()).as(steps.toString()).isEqualTo("POST");
            }
        }
        assertThat(steps).filteredOn(r -> r.method().equals("POST")).hasSize(RETRY.maxAttempts());
        proxy.heal();
        assertThat(store.listTags(REPO)).doesNotContain("2");
        store.push(REPO, "2", artifact(other), false);
        assertThat(store.listTags(REPO)).contains("2");
        store.delete(REPO, "2");
    }

    @Test
    void a500ToTheBlobCheckUploadsTheBlobInstead() throws IOException {
        Predicate<Request> blobCheck = r -> r.method().equals("HEAD") && r.path().contains("/blobs/sha256:");
        proxy.inject(Fault.STATUS_500, blobCheck);
        byte[] other = "blob for the failing blob check test".getBytes(StandardCharsets.UTF_8);
        store.push(REPO, "6", artifact(other), false);
        assertThat(count(blobCheck)).isPositive();
        assertThat(count(r -> r.method().equals("POST") && r.path().contains("/blobs/uploads/"))).isPositive();
        proxy.heal();
        assertThat(store.listTags(REPO)).contains("6");
        store.delete(REPO, "6");
    }

    /** As a 503: the registry may have applied the step, so the upload starts a new session instead. */
    @Test
    void a500OnAnUploadStepIsNotRepeatedOnItsOwnAndLeavesNoTag() throws IOException {
        Predicate<Request> uploadStep = r -> (r.method().equals("PUT") || r.method().equals("PATCH")) && r.path().contains("/blobs/uploads/");
        proxy.inject(Fault.STATUS_500, uploadStep);
        byte[] other = "a new blob for the 500 upload test".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.push(REPO, "8", artifact(other), false)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.getMessage()).contains("HTTP 500", "upload the blob").doesNotContain("tried"));
        List<Request> steps = proxy.requests().stream().filter(r -> r.path().contains("/blobs/uploads/")).toList();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).method().equals("PUT")) {
                assertThat(steps.get(i - 1).method()).as(steps.toString()).isEqualTo("POST");
            }
        }
        assertThat(steps).filteredOn(r -> r.method().equals("POST")).hasSize(RETRY.maxAttempts());
        assertThat(steps).filteredOn(r -> r.method().equals("PUT")).hasSize(RETRY.maxAttempts());
        proxy.heal();
        assertThat(store.listTags(REPO)).doesNotContain("8");
    }

    @Test
    void a429OnAnUploadStepIsRetriedBecauseNothingWasDone() {
        proxy.inject(Fault.STATUS_429, r -> r.method().equals("POST"));
        byte[] other = "blob for the 429 upload test".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.push(REPO, "3", artifact(other), false)).isInstanceOf(StorageException.class);
        assertThat(count(r -> r.method().equals("POST"))).isGreaterThanOrEqualTo(2);
        proxy.heal();
        assertThat(store.listTags(REPO)).doesNotContain("3");
    }

    @Test
    void aManifestPushThatFailsLeavesNoTagAndWorksOnceTheFaultEnds() throws IOException {
        proxy.inject(Fault.STATUS_500,
                r -> r.method().equals("PUT") && r.path().contains("/manifests/"));
        byte[] other = "blob for the manifest push test".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.push(REPO, "4", artifact(other), false)).isInstanceOf(StorageException.class);
        proxy.heal();
        assertThat(store.listTags(REPO)).doesNotContain("4");
        store.push(REPO, "4", artifact(other), false);
        assertThat(store.listTags(REPO)).contains("4");
        store.delete(REPO, "4");
    }

    /** Sessions started again share one retry budget: each used to bring its own retries, one after another. */
    @Test
    void aBlobPutThatHangsRestartsItsSessionOnlyWithinTheRetryBudget() {
        RetryPolicy patient = new RetryPolicy(10, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));
        Predicate<Request> blobPut = r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/");
        proxy.inject(Fault.STALL, blobPut);
        byte[] other = "blob for the hanging PUT test".getBytes(StandardCharsets.UTF_8);
        try (RegistryArtifactStore retrying = store(proxy.host(), patient)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> retrying.push(REPO, "7", artifact(other), false)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                assertThat(e.getMessage()).contains(proxy.host(), REPO, "upload the blob");
            });
            // The budget, and at most one session begun before its end: a PUT's response timeout after the body.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SHORT.retryBudget().plus(SHORT.response()).plusMillis(500));
            assertThat(count(blobPut)).as("sessions").isLessThan(patient.maxAttempts());
        }
        proxy.heal();
        assertThat(store.listTags(REPO)).doesNotContain("7");
    }

    @Test
    void anUploadTheRegistryStopsTakingFailsAfterTheIdleTimeout() {
        proxy.inject(Fault.STALL, r -> r.method().equals("PATCH") || (r.method().equals("PUT") && r.path().contains("/blobs/uploads/")));
        byte[] large = new byte[24 << 20];
        new Random(11).nextBytes(large);
        assertThatThrownBy(() -> store.push(REPO, "5", artifact(large), false)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains("in time");
        });
        proxy.heal();
        assertThat(store.listTags(REPO)).doesNotContain("5");
    }
}
