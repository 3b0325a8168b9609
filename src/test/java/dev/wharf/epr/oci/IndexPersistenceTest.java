package dev.wharf.epr.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first index persisted behind: never over a newer pass, and done by the time the indexer is closed. */
class IndexPersistenceTest {
    private static final String OLD_ZIP = "sha256:" + "a".repeat(64);
    private static final String NEW_ZIP = "sha256:" + "b".repeat(64);

    @TempDir
    Path cache;
    private final Object lock = new Object();
    private IndexFile file;
    private IndexPersistence persistence;

    @BeforeEach
    void setUp() throws Exception {
        PackageBlobCache blobs = new PackageBlobCache(new ImageLayoutStore(cache.resolve("unused-store")), "packages", cache, 1 << 20, ZipCheck.NONE, PackageBlobCache.Refusal.NONE);
        blobs.createDirectories();
        Files.writeString(blob(OLD_ZIP), "old");
        Files.writeString(blob(NEW_ZIP), "new");
        file = new IndexFile(cache, "test/packages");
        persistence = new IndexPersistence(file, blobs, lock);
    }

    @Test
    void aDeferredPassThatARefreshOvertookNeitherWritesNorPrunes() throws Exception {
        synchronized (lock) {
            persistence.later(index("2026-12-03T10:00:00Z", OLD_ZIP), List.of(cached(OLD_ZIP)));
            // The refresh runs before the deferred thread can take the lock.
            persistence.now(index("2026-12-03T11:00:00Z", NEW_ZIP), List.of(cached(NEW_ZIP)));
        }
        persistence.close();

        assertThat(file.read()).get().extracting(PersistedIndex::indexedAt).isEqualTo("2026-12-03T11:00:00Z");
        assertThat(Files.exists(blob(NEW_ZIP))).as("the newer index's blob").isTrue();
        assertThat(Files.exists(blob(OLD_ZIP))).as("what no current package uses").isFalse();
    }

    @Test
    void closeWaitsForTheDeferredPass() throws Exception {
        CountDownLatch deferred = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The first index's thread: it defers the pass, then keeps the lock until released, so the
        // deferred pass is still waiting for it when close() is called.
        Thread first = new Thread(() -> {
            synchronized (lock) {
                persistence.later(index("2026-12-03T10:00:00Z", OLD_ZIP), List.of(cached(OLD_ZIP)));
                deferred.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        first.start();
        deferred.await();
        assertThat(file.read()).isEmpty();
        AtomicBoolean persistedWhenClosed = new AtomicBoolean();
        Thread closing = new Thread(() -> {
            persistence.close();
            persistedWhenClosed.set(file.read().isPresent());
        });
        closing.start();
        // The lock is given up only once close() is waiting for the pass, or done (a close that does not wait).
        while (closing.getState() != Thread.State.TIMED_WAITING && closing.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        release.countDown();
        closing.join();
        first.join();

        assertThat(persistedWhenClosed).as("index.json written by the time close() returned").isTrue();
        assertThat(file.read()).get().extracting(PersistedIndex::indexedAt).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(Files.exists(blob(NEW_ZIP))).as("pruned once the index is persisted").isFalse();
    }

    @Test
    void closeWithoutADeferredPassReturnsAtOnce() {
        synchronized (lock) {
            persistence.now(index("2026-12-03T10:00:00Z", OLD_ZIP), List.of(cached(OLD_ZIP)));
        }
        persistence.close();
        assertThat(file.read()).isPresent();
    }

    private Path blob(String digest) {
        return cache.resolve("blobs").resolve("sha256-" + digest.substring("sha256:".length()) + ".zip");
    }

    private static CachedPackage cached(String zipDigest) {
        PackageDocument document = Json.mapper().convertValue(java.util.Map.of("name", "acme", "version", "1.0.0"), PackageDocument.class);
        return new CachedPackage("acme-1.0.0", "sha256:" + "c".repeat(64), zipDigest, 3, null, 0, document, false);
    }

    private static PersistedIndex index(String indexedAt, String zipDigest) {
        return new PersistedIndex(PersistedIndex.FORMAT, "test/packages", "checks", indexedAt, indexedAt, List.of(cached(zipDigest)), List.of());
    }
}
