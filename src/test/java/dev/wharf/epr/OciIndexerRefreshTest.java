package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a refresh costs in registry requests once tags are trusted between full verifications:
 * proportional to what changed, except when the verify interval has passed. The test packages are
 * 7 tags: 6 packages (acme_logs-1.1.0 signed) and broken_pkg-1.0.0, which validation refuses.
 */
class OciIndexerRefreshTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration VERIFY = Duration.ofHours(1);
    private static final List<String> SIX = List.of("acme_logs-1.0.0", "acme_logs-1.1.0", "acme_logs-1.2.0-beta1",
            "gallery-2.0.0", "legacy_stack-1.0.0", "sensor_input-0.3.0");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private ImageLayoutStore layout;
    private CountingArtifactStore store;
    private Path cache;
    private OciIndexer indexer;
    private int copies;

    @BeforeEach
    void publish() throws Exception {
        layout = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.publishAll(layout, dir);
        store = new CountingArtifactStore(layout);
        cache = dir.resolve("cache");
    }

    @AfterEach
    void close() {
        if (indexer != null) {
            indexer.close();
        }
    }

    private OciIndexer indexer(CountingArtifactStore source, boolean requireSignatures, Duration verify) {
        return new OciIndexer(source, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withRequiredSignatures(requireSignatures)
                .withMaxPackageBytes(64L << 20).withVerifyInterval(verify).withClock(clock));
    }

    /** Started, with the blobs of the packages listed from their configs fetched behind the index (CacheFill), which the counts include. */
    private OciIndexer started(Duration verify) throws Exception {
        indexer = indexer(store, false, verify);
        indexer.start();
        return PersistedFirstIndex.await(indexer);
    }

    private void refreshed() throws Exception {
        indexer.refresh();
        PersistedFirstIndex.await(indexer);
    }

    /** Pushes legacy_stack {@code version} with {@code title}, as {@code package-registry push} does. */
    private void publishLegacyStack(String version, String title) throws Exception {
        Path folder = dir.resolve("copy" + ++copies).resolve("legacy_stack/" + version);
        TestPackages.copyTree(TestPackages.source().resolve("legacy_stack/1.0.0"), folder);
        Path manifest = folder.resolve("manifest.yml");
        Files.writeString(manifest, Files.readString(manifest).replace("version: 1.0.0", "version: " + version)
                .replace("title: Legacy stack", "title: " + title));
        new PackagePublisher(layout, TestPackages.REPOSITORY, 64L << 20, true).push(folder, w -> { });
    }

    private static List<String> keys(OciIndexer indexer) {
        return indexer.packages().stream().map(IndexedPackage::key).toList();
    }

    private static String title(OciIndexer indexer, String key) {
        return indexer.packages().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow().document().title;
    }

    private long files(String sub) throws Exception {
        try (Stream<Path> list = Files.list(cache.resolve(sub))) {
            return list.count();
        }
    }

    @Test
    void fromScratchEveryTagIsResolvedAndEveryBlobFetched() throws Exception {
        started(VERIFY);
        assertThat(keys(indexer)).containsExactlyElementsOf(SIX);
        assertThat(store.tagLists()).isEqualTo(1);
        assertThat(store.manifests()).isEqualTo(7);
        assertThat(store.blobs()).isEqualTo(8); // 7 zips (broken_pkg's is read to be refused) and 1 signature
    }

    @Test
    void aRefreshAfterOnePushResolvesOnlyTheNewTag() throws Exception {
        started(VERIFY);
        publishLegacyStack("1.0.1", "Legacy stack");
        store.reset();
        clock.advance(Duration.ofMinutes(1));

        refreshed();
        assertThat(store.tagLists()).isEqualTo(1);
        assertThat(store.resolvedReferences()).containsExactly("legacy_stack-1.0.1");
        assertThat(store.manifests()).isEqualTo(1);
        assertThat(store.blobs()).isEqualTo(1);
        assertThat(keys(indexer)).hasSize(7).contains("legacy_stack-1.0.1");
        assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.HEALTHY);
        assertThat(indexer.health().indexedAt()).contains(T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void aRefreshThatFindsNothingNewCostsTheTagListAndKeepsThePublishedList() throws Exception {
        started(VERIFY);
        List<IndexedPackage> before = indexer.packages();
        store.reset();
        clock.advance(Duration.ofMinutes(1));

        refreshed();
        // broken_pkg-1.0.0 is remembered as refused: no request for it either.
        assertThat(store.tagLists()).isEqualTo(1);
        assertThat(store.manifests()).isZero();
        assertThat(store.blobs()).isZero();
        assertThat(indexer.packages()).isSameAs(before);
        assertThat(indexer.health().indexedAt()).contains(T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void everyTagIsResolvedAgainOnceTheVerifyIntervalHasPassed() throws Exception {
        started(VERIFY);
        store.reset();
        clock.advance(VERIFY.minusMinutes(1));
        refreshed();
        assertThat(store.manifests()).isZero();

        clock.advance(Duration.ofMinutes(1));
        refreshed();
        assertThat(store.manifests()).isEqualTo(7);
        assertThat(store.resolvedReferences()).contains("broken_pkg-1.0.0");
        assertThat(store.blobs()).as("same manifest digests: nothing downloaded again").isZero();
        assertThat(keys(indexer)).containsExactlyElementsOf(SIX);

        store.reset();
        clock.advance(VERIFY.minusMinutes(1));
        refreshed();
        assertThat(store.manifests()).as("the interval counts from the last verification").isZero();
    }

    @Test
    void aZeroVerifyIntervalResolvesEveryTagOnEveryRefresh() throws Exception {
        started(Duration.ZERO);
        store.reset();
        refreshed();
        assertThat(store.manifests()).isEqualTo(7);
        assertThat(store.blobs()).isZero();
    }

    @Test
    void aTagRePointedIsPickedUpAtTheNextVerification() throws Exception {
        started(VERIFY);
        assertThat(title(indexer, "legacy_stack-1.0.0")).isEqualTo("Legacy stack");
        // Another tool overwrites the version: the tag now points at another manifest.
        assertThat(layout.delete(TestPackages.REPOSITORY, "legacy_stack-1.0.0")).isTrue();
        publishLegacyStack("1.0.0", "Legacy stack, pushed again");
        store.reset();

        clock.advance(Duration.ofMinutes(10));
        refreshed();
        assertThat(title(indexer, "legacy_stack-1.0.0")).as("trusted until the verification").isEqualTo("Legacy stack");
        assertThat(store.manifests()).isZero();

        clock.advance(VERIFY);
        refreshed();
        assertThat(title(indexer, "legacy_stack-1.0.0")).isEqualTo("Legacy stack, pushed again");
        assertThat(store.blobs()).isEqualTo(1);
        assertThat(keys(indexer)).containsExactlyElementsOf(SIX);
    }

    @Test
    void aDeletedTagIsDroppedAtOnce() throws Exception {
        PersistedFirstIndex.await(started(VERIFY));
        // broken_pkg's zip, read to be refused, is gone once the first index is persisted, behind the first answer.
        assertThat(files("blobs")).isEqualTo(6);
        assertThat(layout.delete(TestPackages.REPOSITORY, "gallery-2.0.0")).isTrue();
        store.reset();

        clock.advance(Duration.ofMinutes(1));
        refreshed();
        assertThat(keys(indexer)).doesNotContain("gallery-2.0.0").hasSize(5);
        assertThat(store.manifests()).isZero();
        assertThat(files("blobs")).as("its zip leaves the cache").isEqualTo(5);
    }

    @Test
    void aKnownPackageWhoseZipWasRemovedFromTheCacheIsDownloadedAgain() throws Exception {
        PersistedFirstIndex.await(started(VERIFY));
        try (Stream<Path> zips = Files.list(cache.resolve("blobs"))) {
            for (Path zip : zips.toList()) {
                Files.delete(zip);
            }
        }
        Files.delete(Files.list(cache.resolve("signatures")).findFirst().orElseThrow());
        store.reset();

        refreshed();
        assertThat(store.manifests()).isZero();
        assertThat(store.blobs()).isEqualTo(7); // 6 zips, 1 signature
        assertThat(files("blobs")).isEqualTo(6);
        assertThat(files("signatures")).isEqualTo(1);
        assertThat(keys(indexer)).containsExactlyElementsOf(SIX);
    }

    @Test
    void aRestartAfterOnePushCostsRequestsForTheChangeOnly() throws Exception {
        started(VERIFY).close();
        publishLegacyStack("1.0.1", "Legacy stack");
        clock.advance(Duration.ofMinutes(5));

        CountingArtifactStore restartStore = new CountingArtifactStore(new ImageLayoutStore(dir.resolve("oci")));
        indexer = indexer(restartStore, false, VERIFY);
        indexer.start();
        PersistedFirstIndex.await(indexer);
        assertThat(restartStore.tagLists()).isEqualTo(1);
        assertThat(restartStore.resolvedReferences()).containsExactly("legacy_stack-1.0.1");
        assertThat(restartStore.blobs()).isEqualTo(1);
        assertThat(keys(indexer)).hasSize(7);

        // The verification time survived the restart: it is due an hour after the first run's.
        restartStore.reset();
        clock.advance(VERIFY.minusMinutes(5));
        refreshed();
        assertThat(restartStore.manifests()).isEqualTo(8);
        assertThat(restartStore.blobs()).isZero();
    }

    @Test
    void aRestartAfterTheVerifyIntervalResolvesEveryTagWithoutDownloading() throws Exception {
        started(VERIFY).close();
        clock.advance(VERIFY.plusMinutes(1));

        CountingArtifactStore restartStore = new CountingArtifactStore(new ImageLayoutStore(dir.resolve("oci")));
        indexer = indexer(restartStore, false, VERIFY);
        indexer.start();
        PersistedFirstIndex.await(indexer);
        assertThat(restartStore.manifests()).isEqualTo(7);
        assertThat(restartStore.blobs()).isZero();
        assertThat(keys(indexer)).containsExactlyElementsOf(SIX);
    }

    @Test
    void anIndexPersistedInTheFirstFormatIsReusedByDigestAndVerifiedOnce() throws Exception {
        started(VERIFY).close();
        Path file = cache.resolve("index.json");
        ObjectNode old = (ObjectNode) Json.mapper().readTree(file.toFile());
        assertThat(old.get("format").asInt()).isEqualTo(2);
        old.put("format", 1);
        old.remove(List.of("checks", "verified_at", "rejected"));
        Json.mapper().writeValue(file.toFile(), old);

        CountingArtifactStore restartStore = new CountingArtifactStore(new ImageLayoutStore(dir.resolve("oci")));
        indexer = indexer(restartStore, false, VERIFY);
        indexer.start();
        PersistedFirstIndex.await(indexer);
        assertThat(restartStore.manifests()).isEqualTo(7);
        assertThat(restartStore.blobs()).as("only broken_pkg's zip, to refuse it again").isEqualTo(1);
        assertThat(keys(indexer)).containsExactlyElementsOf(SIX);

        restartStore.reset();
        refreshed();
        assertThat(restartStore.manifests()).isZero();
    }

    @Test
    void anIndexPersistedUnderOtherChecksIsCheckedAgain() throws Exception {
        started(VERIFY).close();

        CountingArtifactStore restartStore = new CountingArtifactStore(new ImageLayoutStore(dir.resolve("oci")));
        indexer = indexer(restartStore, true, VERIFY);
        indexer.start();
        PersistedFirstIndex.await(indexer);
        assertThat(keys(indexer)).as("only the signed package, now that signatures are required").containsExactly("acme_logs-1.1.0");
        assertThat(restartStore.manifests()).isEqualTo(7);
        assertThat(restartStore.blobs()).as("its zip and signature are read from the cache").isZero();
    }

    @Test
    void anOutageWhileResolvingANewTagFailsTheRefreshAndKeepsWhatIsKnown() throws Exception {
        started(VERIFY);
        List<IndexedPackage> before = indexer.packages();
        publishLegacyStack("1.0.1", "Legacy stack");
        store.beforeResolve(reference -> {
            throw new StorageException(StorageException.Kind.UNREACHABLE, "registry down");
        });
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(indexer::refresh).isInstanceOf(StorageException.class).hasMessage("registry down");
        assertThat(indexer.packages()).isSameAs(before);
        assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.DEGRADED);
        assertThat(indexer.health().indexedAt()).contains(T0);
        assertThat(indexer.health().error()).contains("registry down");

        store.beforeResolve(reference -> { });
        store.reset();
        refreshed();
        assertThat(store.resolvedReferences()).containsExactly("legacy_stack-1.0.1");
        assertThat(keys(indexer)).hasSize(7);
        assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.HEALTHY);
    }

    @Test
    void aTagTheRegistryFailsForAloneIsLeftOutAndTriedAgainNextTime() throws Exception {
        started(VERIFY);
        publishLegacyStack("1.0.1", "Legacy stack");
        store.beforeResolve(reference -> {
            if (reference.equals("legacy_stack-1.0.1")) {
                throw new StorageException(StorageException.Kind.NOT_FOUND, "manifest unknown");
            }
        });
        refreshed();
        assertThat(keys(indexer)).containsExactlyElementsOf(SIX);
        assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.HEALTHY);

        store.beforeResolve(reference -> { });
        store.reset();
        refreshed();
        assertThat(store.resolvedReferences()).containsExactly("legacy_stack-1.0.1");
        assertThat(keys(indexer)).hasSize(7);
    }

    @Test
    void newTagsAreResolvedConcurrentlyAndServedInTagOrder() throws Exception {
        // Every lookup waits until a second one is under way: this only completes when they overlap.
        CountDownLatch twoInFlight = new CountDownLatch(2);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        store.beforeResolve(reference -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            threads.add(Thread.currentThread().getName());
            twoInFlight.countDown();
            try {
                assertThat(twoInFlight.await(30, TimeUnit.SECONDS)).isTrue();
                // The first tags answer last, so completion order is not tag order.
                Thread.sleep(reference.startsWith("acme_logs") ? 200 : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        started(VERIFY);
        assertThat(mostInFlight.get()).isBetween(2, 8);
        assertThat(threads).allMatch(name -> name.startsWith("epr-oci-resolve-"));
        assertThat(keys(indexer)).containsExactlyElementsOf(SIX);
    }
}
