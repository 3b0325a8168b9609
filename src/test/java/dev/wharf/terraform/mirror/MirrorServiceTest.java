package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.mirror.upstream.CachedUpstreamSource;
import dev.wharf.terraform.mirror.upstream.UpstreamSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorServiceTest {
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");
    private static final String REPO = "boring-registry/mirror/providers/registry.example.test/acme/dummy";

    @TempDir
    Path temp;
    private ArtifactStore store;
    private MirrorStorage storage;
    private StaticUpstream upstream;

    @BeforeEach
    void setUp() throws Exception {
        store = new ImageLayoutStore(temp.resolve("oci"));
        Files.createDirectories(temp.resolve("tmp"));
        storage = new MirrorStorage(store, TerraformLayout.under("boring-registry"), temp.resolve("tmp"));
        upstream = new StaticUpstream();
    }

    @AfterEach
    void tearDown() {
        upstream.close();
    }

    @Test
    void storedArchivesAreListedWithTheirH1AndZhHashes() throws Exception {
        Path zip = TestZips.provider(temp.resolve("z.zip"), "dummy", "1.0.0", "x");
        storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        MirrorService service = new MirrorService(storage, Optional.empty());

        assertThat(service.versions(DUMMY)).containsExactly("1.0.0");
        assertThat(service.archives(DUMMY, "1.0.0")).containsExactly(Map.entry("linux_amd64",
                new ArchiveListing("terraform-provider-dummy_1.0.0_linux_amd64.zip", PackageHashes.of(zip).asList())));
        assertThat(store.listTags(REPO)).containsExactly("terraform-provider-dummy_1.0.0_linux_amd64.zip");
        assertThatThrownBy(() -> service.versions(new MirrorCoordinates("registry.example.test", "acme", "other")))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> service.archive(DUMMY, "1.0.0", "darwin", "arm64"))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.NOT_FOUND));
    }

    @Test
    void pullThroughOffersUpstreamVersionsThenStoresWhatIsDownloaded() throws Exception {
        Map<String, Path> zips = upstream.publish(temp.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64", "darwin_arm64"));
        MirrorService service = pullThroughService(upstream.client());

        assertThat(service.versions(DUMMY)).containsExactly("1.0.0");
        Map<String, ArchiveListing> offered = service.archives(DUMMY, "1.0.0");
        assertThat(offered.get("darwin_arm64").hashes()).containsExactly(PackageHashes.zhOf(zips.get("darwin_arm64")));
        assertThat(store.listTags(REPO)).isEmpty();

        StoredArchive pulled = service.archive(DUMMY, "1.0.0", "linux", "amd64");

        java.io.ByteArrayOutputStream copied = new java.io.ByteArrayOutputStream();
        storage.read(pulled, storage.layer(pulled)).drainTo(chunk -> {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            copied.write(bytes);
        });
        assertThat(copied.toByteArray()).isEqualTo(Files.readAllBytes(zips.get("linux_amd64")));
        assertThat(service.archives(DUMMY, "1.0.0").get("linux_amd64").hashes())
                .containsExactly(PackageHashes.h1Of(zips.get("linux_amd64")), PackageHashes.zhOf(zips.get("linux_amd64")));
        assertThat(store.listTags(REPO)).containsExactlyInAnyOrder("terraform-provider-dummy_1.0.0_linux_amd64.zip",
                "terraform-provider-dummy_1.0.0_SHA256SUMS", "terraform-provider-dummy_1.0.0_SHA256SUMS.sig");
        assertThat(store.listTags("boring-registry/mirror/providers/registry.example.test/acme")).containsExactly("signing-keys.json");
    }

    @Test
    void concurrentRequestsForOneArchiveFetchItOnce() throws Exception {
        upstream.publish(temp.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
        PullThrough pullThrough = new PullThrough(upstream.client(), storage, temp.resolve("tmp"), new ZipInspector(ArchiveLimits.DEFAULT));
        MirrorService service = new MirrorService(storage, Optional.of(pullThrough));
        CountDownLatch gate = upstream.server.gate("/files/terraform-provider-dummy_1.0.0_linux_amd64.zip");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<StoredArchive>> results = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(6);
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> {
                    started.countDown();
                    return service.archive(DUMMY, "1.0.0", "linux", "amd64");
                }));
            }
            started.await();
            // The fetch is held at the gate until the five followers wait for it: had they arrived after it
            // finished, they would find the package stored and pass this test for the wrong reason.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (pullThrough.waitingFor(DUMMY, "1.0.0", "linux", "amd64") < 5) {
                assertThat(System.nanoTime()).as("five requests waiting for the one fetch").isLessThan(deadline);
                Thread.sleep(5);
            }
            gate.countDown();
            for (Future<StoredArchive> f : results) {
                assertThat(f.get().tag()).isEqualTo("terraform-provider-dummy_1.0.0_linux_amd64.zip");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(upstream.server.requests()).filteredOn(p -> p.endsWith("_linux_amd64.zip")).hasSize(1);
    }

    @Test
    void whenTheUpstreamIsDownStoredVersionsAreServedAndTheRestIsA502() throws Exception {
        upstream.publish(temp.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
        MirrorService service = pullThroughService(upstream.client());
        service.archive(DUMMY, "1.0.0", "linux", "amd64");
        upstream.close();

        assertThat(service.versions(DUMMY)).containsExactly("1.0.0");
        assertThat(service.archives(DUMMY, "1.0.0")).containsOnlyKeys("linux_amd64");
        assertThat(service.archive(DUMMY, "1.0.0", "linux", "amd64").version()).isEqualTo("1.0.0");
        assertThatThrownBy(() -> service.archive(DUMMY, "1.0.0", "darwin", "arm64"))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.UPSTREAM_FAILED))
                .hasMessageContaining("cannot be reached");
        assertThatThrownBy(() -> service.archives(DUMMY, "2.0.0"))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.UPSTREAM_FAILED));
        assertThatThrownBy(() -> service.versions(new MirrorCoordinates("registry.example.test", "acme", "never")))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.UPSTREAM_FAILED));
    }

    @Test
    void aBadSignatureStoresNothingAndSaysWhy() throws Exception {
        upstream.publish(temp.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
        upstream.server.put("/files/terraform-provider-dummy_1.0.0_SHA256SUMS.sig", "forged");
        MirrorService service = pullThroughService(upstream.client());

        assertThatThrownBy(() -> service.archive(DUMMY, "1.0.0", "linux", "amd64"))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.UPSTREAM_FAILED))
                .hasMessageContaining("signature")
                .hasMessageContaining("does not verify");
        assertThat(store.listTags(REPO)).isEmpty();
    }

    @Test
    void aTamperedZipStoresNothingAndSaysWhy() throws Exception {
        upstream.publish(temp.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
        upstream.server.put("/files/terraform-provider-dummy_1.0.0_linux_amd64.zip", "tampered".getBytes(StandardCharsets.UTF_8));
        MirrorService service = pullThroughService(upstream.client());

        assertThatThrownBy(() -> service.archive(DUMMY, "1.0.0", "linux", "amd64"))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.UPSTREAM_FAILED))
                .hasMessageContaining("signed SHA256SUMS says");
        assertThat(store.listTags(REPO)).isEmpty();
        try (var left = Files.list(temp.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void withTheCacheOnTheUpstreamIsAskedForVersionsOnce() throws Exception {
        upstream.publish(temp.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
        MirrorService service = pullThroughService(new CachedUpstreamSource(upstream.client(), Duration.ofHours(24), 16));
        service.versions(DUMMY);
        service.archives(DUMMY, "1.0.0");
        service.versions(DUMMY);
        service.archives(DUMMY, "1.0.0");

        assertThat(upstream.server.requests()).filteredOn(p -> p.endsWith("/versions")).hasSize(1);
        assertThat(upstream.server.requests()).filteredOn(p -> p.endsWith("_SHA256SUMS")).hasSize(1);
    }

    @Test
    void theCacheHitsAreCountedUnderBoringRegistrysNames() throws Exception {
        upstream.publish(temp.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        MirrorService service = pullThroughService(new CachedUpstreamSource(upstream.client(), Duration.ofHours(24), 16,
                new dev.wharf.terraform.web.OperationCounters(registry)));
        for (int i = 0; i < 3; i++) {
            service.versions(DUMMY);
            service.archives(DUMMY, "1.0.0");
        }

        assertThat(registry.get("boring_registry_mirrors_list_provider_versions_cache_hit")
                .tags("hostname", DUMMY.hostname(), "namespace", DUMMY.namespace(), "name", DUMMY.type()).counter().count())
                .as("every lookup but the first, which asked the upstream").isGreaterThanOrEqualTo(2.0);
        assertThat(upstream.server.requests()).filteredOn(p -> p.endsWith("/versions")).hasSize(1);
        assertThat(registry.get("boring_registry_mirrors_download_sha_sums_cache_hit").tag("version", "1.0.0").counter().count())
                .isPositive();
        assertThat(registry.get("boring_registry_mirrors_download_version_cache_hit")
                .tags("version", "1.0.0", "os", "linux", "arch", "amd64").counter().count()).isPositive();
    }

    @Test
    void anArchiveAlreadyStoredWithOtherContentIsAConflict() throws Exception {
        Path zip = TestZips.provider(temp.resolve("a.zip"), "dummy", "1.0.0", "a");
        Path other = TestZips.provider(temp.resolve("b.zip"), "dummy", "1.0.0", "b");
        storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));

        assertThatThrownBy(() -> storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", other, PackageHashes.of(other)))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.CONFLICT));
    }

    private MirrorService pullThroughService(UpstreamSource source) {
        return new MirrorService(storage, Optional.of(new PullThrough(source, storage, temp.resolve("tmp"), new ZipInspector(ArchiveLimits.DEFAULT))));
    }
}
